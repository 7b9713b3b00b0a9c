/** What a person does in the client, as the tests say it: find messages, send, register. */
import type { Page } from "playwright-core";

export const messages = (page: Page) => page.getByRole("log", { name: "Messages" }).getByRole("article");
export const messageWith = (page: Page, text: string) => messages(page).filter({ hasText: text });

/** `channel` is a channel name ("general") or a DM target ("@Bob"), as the composer's name says. */
export async function send(page: Page, channel: string, text: string) {
  const box = page.getByRole("textbox", { name: `Message ${channel.startsWith("@") ? channel : `#${channel}`}` });
  await box.fill(text);
  await box.press("Enter");
}

export async function register(page: Page, email: string, name: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Create account" }).click();
}
