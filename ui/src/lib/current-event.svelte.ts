// The event the user is working on, for the per-event part of the left navigation.
// Views that load an event set it; it stays while the user moves between that event's screens.

class CurrentEvent {
  id = $state<number | null>(null);
  title = $state('');

  set(id: number, title: string): void {
    this.id = id;
    this.title = title;
  }

  clear(): void {
    this.id = null;
    this.title = '';
  }
}

export const currentEvent = new CurrentEvent();
