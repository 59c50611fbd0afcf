// The screens of the app and how they relate. Pure data, so it is testable; the reactive
// router that uses it lives in router.svelte.ts.

/** One screen with its parameters. */
export type Route =
  | { name: 'events' }
  | { name: 'event-new' }
  | { name: 'event-edit'; id: number }
  /** A new event prefilled from event `id` ("Nächstes Forum anlegen"). */
  | { name: 'event-next'; id: number }
  | { name: 'event'; id: number }
  | { name: 'checkin'; id: number }
  /** The curation board of an event's wishes. */
  | { name: 'wishes'; id: number }
  /** The full-screen presentation of an event's wishes (no app navigation). */
  | { name: 'presentation'; id: number }
  | { name: 'contacts' }
  /** Organisations with their partner towns. */
  | { name: 'organisations' }
  /** The topic catalogue for the wishes' suggestions. */
  | { name: 'topics' }
  /** "Einstellungen": organisation, letterhead, e-mail, data protection, backups, the database
   *  file; `section` scrolls to one of them (the Postausgang links to "E-Mail-Versand"). */
  | { name: 'settings'; section?: 'mail' }
  /** "Auswertung": figures, reach and the Jahresbericht for a period. */
  | { name: 'statistics' }
  /** The outbox with templates and the mail server settings ("Postausgang"). */
  | { name: 'mail' }
  /** The "Importieren" wizard: contacts (no event) or an event's registrations/attendance. */
  | { name: 'import'; target: 'contacts' }
  | { name: 'import'; target: 'registrations' | 'attendance'; id: number }
  /** "Über Tagungsbüro": version, data location, data sources, licences, log. */
  | { name: 'about' }
  /** "Team & Abgleich": the office's other laptops, pairing, the sync file, conflicts. */
  | { name: 'team' };

/** The start screen. */
export const HOME: Route = { name: 'events' };

/** Whether two routes show the same screen. */
export function sameRoute(a: Route, b: Route): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The screen one level up, used by "Zurück" when there is no history (e.g. after start). */
export function parentRoute(route: Route): Route {
  switch (route.name) {
    case 'event-edit':
    case 'event-next':
    case 'checkin':
    case 'wishes':
      return { name: 'event', id: route.id };
    case 'presentation':
      return { name: 'wishes', id: route.id };
    case 'import':
      return route.target === 'contacts' ? { name: 'contacts' } : { name: 'event', id: route.id };
    default:
      return HOME;
  }
}

/** The event a route belongs to, for the per-event navigation. */
export function routeEventId(route: Route): number | null {
  return 'id' in route ? route.id : null;
}

/** The top-level section a route belongs to (highlights the left navigation). */
export function section(
  route: Route,
): 'events' | 'contacts' | 'organisations' | 'topics' | 'mail' | 'settings' | 'statistics' | 'about' | 'team' {
  if (
    route.name === 'contacts' ||
    route.name === 'organisations' ||
    route.name === 'topics' ||
    route.name === 'mail' ||
    route.name === 'settings' ||
    route.name === 'statistics' ||
    route.name === 'about' ||
    route.name === 'team'
  ) {
    return route.name;
  }
  if (route.name === 'import' && route.target === 'contacts') return 'contacts';
  return 'events';
}

/** Reads a route back from `history.state`; anything unknown becomes the start screen. */
export function parseRoute(value: unknown): Route {
  if (typeof value !== 'object' || value === null) return HOME;
  const v = value as { name?: unknown; id?: unknown; target?: unknown; section?: unknown };
  const id = typeof v.id === 'number' && Number.isInteger(v.id) ? v.id : null;
  switch (v.name) {
    case 'events':
    case 'event-new':
    case 'contacts':
    case 'organisations':
    case 'topics':
    case 'statistics':
    case 'mail':
    case 'about':
    case 'team':
      return { name: v.name };
    case 'settings':
      return v.section === 'mail' ? { name: 'settings', section: 'mail' } : { name: 'settings' };
    case 'event':
    case 'event-edit':
    case 'event-next':
    case 'checkin':
    case 'wishes':
    case 'presentation':
      return id === null ? HOME : { name: v.name, id };
    case 'import':
      if (v.target === 'contacts') return { name: 'import', target: 'contacts' };
      if (id !== null && (v.target === 'registrations' || v.target === 'attendance')) {
        return { name: 'import', target: v.target, id };
      }
      return HOME;
    default:
      return HOME;
  }
}
