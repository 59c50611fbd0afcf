import { describe, expect, it } from 'vitest';
import { parentRoute, parseRoute, routeEventId, sameRoute, section } from './routes';

describe('routes', () => {
  it('parses history state defensively', () => {
    expect(parseRoute({ name: 'event', id: 4, depth: 2 })).toEqual({ name: 'event', id: 4 });
    expect(parseRoute({ name: 'event' })).toEqual({ name: 'events' });
    expect(parseRoute({ name: 'contacts', id: 3 })).toEqual({ name: 'contacts' });
    expect(parseRoute(null)).toEqual({ name: 'events' });
    expect(parseRoute({ name: 'gibt-es-nicht' })).toEqual({ name: 'events' });
  });

  it('knows parents, sections and the event of a route', () => {
    expect(parentRoute({ name: 'checkin', id: 7 })).toEqual({ name: 'event', id: 7 });
    expect(parentRoute({ name: 'event', id: 7 })).toEqual({ name: 'events' });
    expect(parentRoute({ name: 'event-next', id: 7 })).toEqual({ name: 'event', id: 7 });
    expect(parseRoute({ name: 'event-next', id: 7 })).toEqual({ name: 'event-next', id: 7 });
    expect(section({ name: 'contacts' })).toBe('contacts');
    expect(section({ name: 'event-edit', id: 1 })).toBe('events');
    expect(routeEventId({ name: 'checkin', id: 7 })).toBe(7);
    expect(routeEventId({ name: 'events' })).toBeNull();
  });

  it('knows the wishes screens', () => {
    expect(parseRoute({ name: 'wishes', id: 3 })).toEqual({ name: 'wishes', id: 3 });
    expect(parseRoute({ name: 'presentation', id: 3 })).toEqual({ name: 'presentation', id: 3 });
    expect(parseRoute({ name: 'presentation' })).toEqual({ name: 'events' });
    expect(parseRoute({ name: 'topics' })).toEqual({ name: 'topics' });
    expect(parseRoute({ name: 'mail' })).toEqual({ name: 'mail' });
    expect(parentRoute({ name: 'wishes', id: 3 })).toEqual({ name: 'event', id: 3 });
    expect(parentRoute({ name: 'presentation', id: 3 })).toEqual({ name: 'wishes', id: 3 });
    expect(section({ name: 'wishes', id: 3 })).toBe('events');
    expect(section({ name: 'topics' })).toBe('topics');
    expect(section({ name: 'settings' })).toBe('settings');
    expect(parseRoute({ name: 'settings' })).toEqual({ name: 'settings' });
    expect(parentRoute({ name: 'settings' })).toEqual({ name: 'events' });
    expect(parseRoute({ name: 'settings', section: 'mail' })).toEqual({ name: 'settings', section: 'mail' });
    expect(parseRoute({ name: 'settings', section: 'anderes' })).toEqual({ name: 'settings' });
    expect(section({ name: 'settings', section: 'mail' })).toBe('settings');
    expect(section({ name: 'mail' })).toBe('mail');
  });

  it('knows the team page', () => {
    expect(parseRoute({ name: 'team', id: 1 })).toEqual({ name: 'team' });
    expect(section({ name: 'team' })).toBe('team');
    expect(parentRoute({ name: 'team' })).toEqual({ name: 'events' });
  });

  it('knows the about screen', () => {
    expect(parseRoute({ name: 'about', id: 1 })).toEqual({ name: 'about' });
    expect(section({ name: 'about' })).toBe('about');
    expect(parentRoute({ name: 'about' })).toEqual({ name: 'events' });
  });

  it('knows the organisations screen', () => {
    expect(parseRoute({ name: 'organisations', id: 2 })).toEqual({ name: 'organisations' });
    expect(section({ name: 'organisations' })).toBe('organisations');
    expect(parentRoute({ name: 'organisations' })).toEqual({ name: 'events' });
  });

  it('knows the import wizard of contacts and of an event', () => {
    expect(parseRoute({ name: 'import', target: 'contacts', id: 4 })).toEqual({ name: 'import', target: 'contacts' });
    expect(parseRoute({ name: 'import', target: 'attendance', id: 4 })).toEqual({ name: 'import', target: 'attendance', id: 4 });
    expect(parseRoute({ name: 'import', target: 'registrations' })).toEqual({ name: 'events' });
    expect(parseRoute({ name: 'import', target: 'wishes', id: 4 })).toEqual({ name: 'events' });
    expect(section({ name: 'import', target: 'contacts' })).toBe('contacts');
    expect(section({ name: 'import', target: 'registrations', id: 4 })).toBe('events');
    expect(parentRoute({ name: 'import', target: 'contacts' })).toEqual({ name: 'contacts' });
    expect(parentRoute({ name: 'import', target: 'attendance', id: 4 })).toEqual({ name: 'event', id: 4 });
    expect(routeEventId({ name: 'import', target: 'registrations', id: 4 })).toBe(4);
    expect(routeEventId({ name: 'import', target: 'contacts' })).toBeNull();
  });

  it('compares routes by value', () => {
    expect(sameRoute({ name: 'event', id: 1 }, { name: 'event', id: 1 })).toBe(true);
    expect(sameRoute({ name: 'event', id: 1 }, { name: 'event', id: 2 })).toBe(false);
  });
});
