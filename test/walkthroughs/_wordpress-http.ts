// WordPress driven over plain HTTP from the host, as a person's browser would without scripts:
// the installer's form, the login form (with WordPress's test cookie), and a theme's activate
// link from wp-admin/themes.php. Names resolve through /etc/hosts, where Moor puts the ALB's.

import assert from "node:assert/strict";

export interface Answer {
  status: number;
  location: string;
  body: string;
}

/** A client keeping WordPress's cookies; it never follows redirects, so each step is seen. */
export class WordPressClient {
  readonly base: string;
  private readonly cookies = new Map<string, string>();

  constructor(base: string) {
    this.base = base;
  }

  async get(path: string): Promise<Answer> {
    return this.request("GET", path);
  }

  async post(path: string, form: Record<string, string>): Promise<Answer> {
    return this.request("POST", path, new URLSearchParams(form).toString());
  }

  hasCookie(prefix: string): boolean {
    return [...this.cookies.keys()].some((name) => name.startsWith(prefix));
  }

  private async request(method: string, path: string, body?: string): Promise<Answer> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ") };
    if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    const response = await fetch(new URL(path, this.base), { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(30_000) });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const equals = pair!.indexOf("=");
      const name = pair!.slice(0, equals).trim();
      const value = pair!.slice(equals + 1).trim();
      if (/expires=Thu, 01[- ]Jan[- ]1970|max-age=0|=deleted/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, location: response.headers.get("location") ?? "", body: await response.text() };
  }
}

export const admin = { user: "moor-admin", password: "Moor-WordPress-2026!", email: "admin@example.com" };

/** The installer's second step, as its form posts it; the answer says "Success!". */
export async function install(client: WordPressClient, title: string): Promise<Answer> {
  return client.post("/wp-admin/install.php?step=2", {
    weblog_title: title,
    user_name: admin.user,
    admin_password: admin.password,
    admin_password2: admin.password,
    pw_weak: "on",
    admin_email: admin.email,
    blog_public: "0",
    Submit: "Install WordPress",
    language: "",
  });
}

/** The login form (after the page that sets the test cookie); WordPress answers 302 to wp-admin. */
export async function logIn(client: WordPressClient): Promise<Answer> {
  await client.get("/wp-login.php");
  return client.post("/wp-login.php", { log: admin.user, pwd: admin.password, "wp-submit": "Log In", redirect_to: new URL("/wp-admin/", client.base).href, testcookie: "1" });
}

/** Follows the theme's "Activate" link on wp-admin/themes.php (its nonce is the session's). */
export async function activateTheme(client: WordPressClient, slug: string): Promise<Answer> {
  const page = await client.get("/wp-admin/themes.php");
  assert.equal(page.status, 200, `themes.php answered ${page.status} ${page.location}`);
  const link = new RegExp(`href="([^"]*themes\\.php\\?action=activate(?:&amp;|&)stylesheet=${slug}(?:&amp;|&)_wpnonce=[0-9a-f]+)"`).exec(page.body)?.[1];
  assert.ok(link, `no Activate link for "${slug}" on themes.php`);
  return client.get(new URL(link.replaceAll("&amp;", "&"), new URL("/wp-admin/", client.base)).href);
}

/** The theme the front page is rendered with: the stylesheet directory its links name. */
export function themeOf(page: string): string[] {
  return [...new Set([...page.matchAll(/\/wp-content\/themes\/([a-z0-9-]+)\//g)].map((match) => match[1]!))];
}
