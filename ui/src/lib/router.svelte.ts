// A tiny state-based router: the current screen is reactive state, and every navigation is
// also pushed onto the WebView's history, so the mouse's back button, Alt+← and our own
// "Zurück" links all work. No URL is changed (the app is served from tauri://localhost).

import { HOME, parentRoute, parseRoute, sameRoute, type Route } from './routes';

class Router {
  /** The screen shown now. */
  current = $state<Route>(HOME);
  /** How many entries we pushed on top of the first one (0 = nothing to go back to). */
  private depth = $state(0);

  constructor() {
    if (typeof window === 'undefined') return;
    const initial = parseRoute(window.history.state);
    this.current = initial;
    window.history.replaceState({ ...initial, depth: 0 }, '');
    window.addEventListener('popstate', (e: PopStateEvent) => {
      this.current = parseRoute(e.state);
      const depth = (e.state as { depth?: unknown } | null)?.depth;
      this.depth = typeof depth === 'number' ? depth : 0;
    });
  }

  /** Shows `route`; navigating to the current screen again does nothing. */
  go(route: Route): void {
    if (sameRoute(route, this.current)) return;
    this.depth += 1;
    window.history.pushState({ ...route, depth: this.depth }, '');
    this.current = route;
    window.scrollTo?.(0, 0);
  }

  /** Replaces the current screen without a new history entry (e.g. after saving a form). */
  replace(route: Route): void {
    window.history.replaceState({ ...route, depth: this.depth }, '');
    this.current = route;
  }

  /** Goes back in history, or one level up when there is no history. */
  back(): void {
    if (this.depth > 0) {
      window.history.back();
    } else {
      this.replace(parentRoute(this.current));
    }
  }
}

/** The app's single router. */
export const router = new Router();
