/**
 * "Sign in as a test user": Google sign-in against the Auth emulator without Google's servers.
 *
 * signInWithPopup loads a script from Google even against the emulator, so it fails offline. The
 * Auth emulator also accepts an unsigned Google ID token written as JSON claims; signing in with
 * it goes through the same signInWithIdp request as the popup does, so the blocking function
 * (auth_callback) runs exactly as for a real Google account. Real Firebase Auth rejects such a
 * token, and the form is only shown in emulator mode.
 */
import { GoogleAuthProvider, signInWithCredential, type Auth, type UserCredential } from "firebase/auth";
import { h } from "../ui/dom";

export interface GoogleTestClaims {
  sub: string;
  email: string;
  email_verified: true;
  name: string;
}

/** The Google account id of a test user: derived from the e-mail, so the same e-mail is the same account. */
async function subjectFor(email: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(email)));
  return Array.from(digest.slice(0, 8), (b) => b.toString().padStart(3, "0")).join("").slice(0, 21);
}

export async function testUserClaims(name: string, email: string): Promise<GoogleTestClaims> {
  const address = email.trim().toLowerCase();
  return { sub: await subjectFor(address), email: address, email_verified: true, name: name.trim() };
}

/** Sign in to the Auth emulator as the Google user `name` <`email`>. */
export async function signInAsTestUser(auth: Auth, name: string, email: string): Promise<UserCredential> {
  const token = JSON.stringify(await testUserClaims(name, email));
  return signInWithCredential(auth, GoogleAuthProvider.credential(token));
}

/** The form: name and e-mail, then the same sign-in as Google's (emulator mode only). */
export function testUserForm(auth: Auth, showError: (e: unknown) => void): HTMLElement {
  const name = h("input", { id: "test-user-name", autocomplete: "name", required: true, maxlength: 100, placeholder: "Ada Lovelace" });
  const email = h("input", { id: "test-user-email", type: "email", autocomplete: "email", required: true, placeholder: "ada@example.com" });
  const submit = h("button", { class: "btn btn-secondary", type: "submit" }, "Sign in as a test user");
  const form = h(
    "form",
    { class: "test-user-form", "aria-label": "Sign in as a test user" },
    h("p", { class: "muted" }, "Emulator only: a Google account made up on the spot, no internet needed."),
    h("div", { class: "field" }, h("label", { for: "test-user-name" }, "Name"), name),
    h("div", { class: "field" }, h("label", { for: "test-user-email" }, "E-mail"), email),
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      name.focus();
      return;
    }
    submit.disabled = true;
    try {
      await signInAsTestUser(auth, name.value, email.value);
    } catch (e) {
      showError(e);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
