// Shared test data for the Vitest tests (not bundled: only *.test.ts import it).
import type { Person } from './api/bindings/Person';

/** A stored person (Hans-Peter Kowalski from Bocholt); `patch` sets what a test needs. */
export function person(id: number, patch: Partial<Person> = {}): Person {
  return {
    id,
    uid: `u${id}`,
    salutation: '',
    title: '',
    first_name: 'Hans-Peter',
    last_name: 'Kowalski',
    function: '',
    organisation_id: null,
    organisation: null,
    organisation_kind: null,
    ort: 'Bocholt',
    email: '',
    phone: '',
    notes: '',
    invitation_consent: null,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    ...patch,
  };
}
