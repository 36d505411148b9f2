// WordPress as a person sees it: Debian's Chromium, headless, driven by playwright-core through
// the installer's form, the login form and the Activate button on wp-admin/themes.php.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildRoot } from "../harness.js";
import { admin } from "./_wordpress-http.js";

export const chromiumPath = "/usr/bin/chromium";
const stepTimeoutMs = 60_000;

/** Where test artefacts (the final page's screenshot) go: $MOOR_TEST_ARTEFACTS, else dist/test-artefacts. */
export function artefactsDirectory(): string {
  const directory = process.env.MOOR_TEST_ARTEFACTS || join(buildRoot, "test-artefacts");
  mkdirSync(directory, { recursive: true });
  return directory;
}

export async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(stepTimeoutMs);
  return { browser, page };
}

/** Fills the installer's form and submits it; the page then says "Success!". */
export async function installInBrowser(page: Page, base: string, title: string): Promise<void> {
  await page.goto(new URL("/wp-admin/install.php", base).href);
  await page.fill("#weblog_title", title);
  await page.fill("#user_login", admin.user);
  await page.fill("#pass1", admin.password);
  await page.fill("#admin_email", admin.email);
  await Promise.all([page.waitForURL(/install\.php\?step=2/), page.click("#submit")]);
  assert.match(await page.locator("h1").first().innerText(), /Success!/);
}

export async function logInInBrowser(page: Page, base: string): Promise<void> {
  await page.goto(new URL("/wp-login.php", base).href);
  await page.fill("#user_login", admin.user);
  await page.fill("#user_pass", admin.password);
  await Promise.all([page.waitForURL(/\/wp-admin\/$/), page.click("#wp-submit")]);
}

/** Clicks the theme's Activate button on themes.php; WordPress then names it the active theme. */
export async function activateInBrowser(page: Page, base: string, slug: string): Promise<void> {
  await page.goto(new URL("/wp-admin/themes.php", base).href);
  await Promise.all([page.waitForURL(/activated=true/), page.locator(`.theme[data-slug="${slug}"] a.activate`).click()]);
  await page.locator(`.theme.active[data-slug="${slug}"]`).waitFor();
}

/** The stylesheets of the rendered front page: the theme's among them. */
export async function renderedStylesheets(page: Page, base: string): Promise<{ status: number; stylesheets: string[] }> {
  const response = await page.goto(base);
  const stylesheets = await page.$$eval("link[rel=stylesheet]", (links) => links.map((link) => (link as HTMLLinkElement).href));
  return { status: response?.status() ?? 0, stylesheets };
}
