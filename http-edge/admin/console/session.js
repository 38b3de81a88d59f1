// The console's sign-in, through the sessions API. The access token lives in
// this module's memory only; the refresh token in sessionStorage, so a reload
// of the same tab stays signed in and closing it forgets everything. Tokens
// travel in the Authorization header, never in a URL.

const refresh_key = 'taskflow.console.refresh_token';

export class sign_in_refused extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// A problem+json answer's words, or a fallback.
export async function problem_text(response, fallback) {
  try {
    const body = await response.json();
    return [body.title, body.detail].filter(Boolean).join(': ') || fallback;
  } catch {
    return fallback;
  }
}

export class session {
  #access = null;
  #refresh_timer = null;
  #refreshing = null;
  #on_signed_out;
  user = null;

  constructor(on_signed_out) {
    this.#on_signed_out = on_signed_out;
  }

  get signed_in() {
    return this.#access !== null;
  }

  async sign_in(email, password) {
    const response = await fetch('/api/v1/sessions', {
      method: 'POST',
      headers: {'Content-Type': 'application/json', Accept: 'application/json'},
      body: JSON.stringify({email, password}),
      cache: 'no-store',
    });
    if (response.status === 401) throw new sign_in_refused('Wrong email or password.', 401);
    if (response.status === 429) {
      const wait = response.headers.get('Retry-After');
      throw new sign_in_refused(`Too many attempts; try again in ${wait || 'a few'} seconds.`, 429);
    }
    if (!response.ok) throw new sign_in_refused(await problem_text(response, `Sign-in failed (HTTP ${response.status}).`), response.status);
    this.#accept(await response.json());
    await this.#require_admin();
  }

  // Signs in again from a refresh token kept by an earlier page of this tab.
  async resume() {
    if (!sessionStorage.getItem(refresh_key)) return false;
    if (!(await this.#refresh())) return false;
    await this.#require_admin();
    return true;
  }

  async sign_out() {
    const token = this.#access;
    this.#forget();
    if (token) {
      await fetch('/api/v1/sessions/current', {method: 'DELETE', headers: {Authorization: `Bearer ${token}`}}).catch(() => {});
    }
  }

  // fetch() with the access token; a 401 gets one refresh and one retry, and
  // after that the console is signed out.
  async fetch(path, options = {}) {
    const attempt = () => fetch(path, {...options, cache: 'no-store', headers: {...options.headers, Authorization: `Bearer ${this.#access}`}});
    let response = await attempt();
    if (response.status === 401 && (await this.#refresh())) response = await attempt();
    if (response.status === 401) {
      this.#forget();
      this.#on_signed_out('Your session ended; sign in again.');
    }
    return response;
  }

  async json(path, options = {}) {
    const response = await this.fetch(path, {...options, headers: {Accept: 'application/json', ...options.headers}});
    if (response.status === 403) throw new sign_in_refused('Admin role required.', 403);
    if (!response.ok) throw new Error(await problem_text(response, `HTTP ${response.status} from ${path}`));
    return response.status === 204 ? null : response.json();
  }

  // The admin API answers 403 to anyone else; asking who we are first lets
  // the console say so before any data call, and ends that session at once.
  async #require_admin() {
    const me = await this.json('/api/v1/users/me');
    if (!Array.isArray(me.roles) || !me.roles.includes('admin')) {
      await this.sign_out();
      throw new sign_in_refused(`Admin role required: ${me.email} is not an administrator, so this session was ended.`, 403);
    }
    this.user = me;
  }

  #accept(grant) {
    this.#access = grant.access_token;
    sessionStorage.setItem(refresh_key, grant.refresh_token);
    clearTimeout(this.#refresh_timer);
    // Renew at 80% of the lifetime, so no request ever carries an expired token.
    const seconds = Math.max(5, Number(grant.expires_in) || 60);
    this.#refresh_timer = setTimeout(() => this.#refresh(), seconds * 800);
  }

  // A refresh token is spent by its first use, and a second use revokes the
  // whole session: never run two refreshes at once.
  #refresh() {
    if (this.#refreshing) return this.#refreshing;
    const token = sessionStorage.getItem(refresh_key);
    if (!token) return Promise.resolve(false);
    this.#refreshing = this.#exchange(token).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #exchange(token) {
    try {
      const response = await fetch('/api/v1/sessions/refresh', {
        method: 'POST',
        headers: {'Content-Type': 'application/json', Accept: 'application/json'},
        body: JSON.stringify({refresh_token: token}),
        cache: 'no-store',
      });
      if (!response.ok) {
        if (response.status === 401) this.#forget();
        return false;
      }
      this.#accept(await response.json());
      return true;
    } catch {
      return false;
    }
  }

  #forget() {
    this.#access = null;
    this.user = null;
    clearTimeout(this.#refresh_timer);
    sessionStorage.removeItem(refresh_key);
  }
}
