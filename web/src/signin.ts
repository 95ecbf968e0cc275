/** Sign-in: Google (popup; the Auth emulator shows its own account chooser) and phone. */
import {
  GoogleAuthProvider,
  RecaptchaVerifier,
  signInWithPhoneNumber,
  signInWithPopup,
  type ConfirmationResult,
} from "firebase/auth";
import { auth } from "./firebase";
import { phoneSignInEnabled, useEmulators } from "./config";
import { h, icon } from "./ui/dom";
import { testUserForm } from "./auth/testUser";
import type { View } from "./core/router/router";

/** A readable sentence for an Auth error; the blocking function's reason when it refused us. */
export function signInErrorMessage(error: unknown): string | null {
  const code = String((error as { code?: unknown })?.code ?? "");
  const message = String((error as { message?: unknown })?.message ?? "");
  const refused = /PERMISSION_DENIED:\s*([^"}\n]+?)\s*(?:["}]|\(auth\/|$)/.exec(message);
  if (refused) return refused[1];
  switch (code) {
    case "auth/popup-closed-by-user":
    case "auth/cancelled-popup-request":
    case "auth/user-cancelled":
      return null;
    case "auth/popup-blocked":
      return "The browser blocked the sign-in window. Allow pop-ups for this site and try again.";
    case "auth/network-request-failed":
      return "No connection to the sign-in service. Check your network and try again.";
    case "auth/invalid-phone-number":
      return "That phone number is not valid. Include the country code, e.g. +44 7700 900123.";
    case "auth/invalid-verification-code":
      return "That code is not right. Check the text message and try again.";
    case "auth/too-many-requests":
      return "Too many attempts. Wait a little and try again.";
    case "auth/operation-not-allowed":
      return "This sign-in method is not enabled for AVMeets.";
    case "auth/internal-error":
      return "Sign-in did not work. Check your connection and try again.";
    default:
      return `Sign-in failed (${code || "unknown error"}).`;
  }
}

export function renderSignIn(root: HTMLElement, meetingId: string | null): View {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const showError = (e: unknown) => {
    const text = signInErrorMessage(e);
    error.hidden = !text;
    error.textContent = text ?? "";
  };

  const googleButton = h(
    "button",
    { class: "btn btn-google", type: "button" },
    h("span", { class: "g-logo", "aria-hidden": "true" }, "G"),
    "Sign in with Google",
  );
  googleButton.addEventListener("click", async () => {
    googleButton.disabled = true;
    error.hidden = true;
    try {
      const provider = new GoogleAuthProvider();
      provider.setCustomParameters({ prompt: "select_account" });
      await signInWithPopup(auth, provider);
    } catch (e) {
      showError(e);
    } finally {
      googleButton.disabled = false;
    }
  });

  const phoneSection = phoneSignInEnabled ? phoneForm(showError) : null;
  const testUserSection = useEmulators ? testUserForm(auth, showError) : null;

  const card = h(
    "main",
    { class: "signin-card card", "aria-labelledby": "signin-title" },
    h("div", { class: "brand brand-large" }, icon("cam"), h("span", null, "AVMeets")),
    h("h1", { id: "signin-title" }, meetingId ? "Sign in to join the meeting" : "Private video meetings"),
    meetingId ? h("p", { class: "meeting-code-display" }, meetingId) : null,
    h(
      "p",
      { class: "muted" },
      "Audio, video, chat, files and the whiteboard travel directly between the browsers, end-to-end encrypted (DTLS). ",
      "The server only introduces you to each other.",
    ),
    googleButton,
    phoneSection ? h("div", { class: "divider", role: "separator" }, h("span", null, "or")) : null,
    phoneSection,
    testUserSection ? h("div", { class: "divider", role: "separator" }, h("span", null, "or")) : null,
    testUserSection,
    error,
    useEmulators ? h("p", { class: "badge-emulator" }, "Local emulator mode — no real accounts are used.") : null,
    h("p", { class: "muted small" }, h("a", { href: "/privacy", "data-link": true }, "What AVMeets stores, and for how long")),
  );
  root.appendChild(h("div", { class: "center-page" }, card));
  googleButton.focus();
  return {};
}

function phoneForm(showError: (e: unknown) => void): HTMLElement {
  let confirmation: ConfirmationResult | null = null;
  let verifier: RecaptchaVerifier | null = null;
  const phone = h("input", {
    id: "phone-number",
    type: "tel",
    autocomplete: "tel",
    placeholder: "+44 7700 900123",
    required: true,
  });
  const code = h("input", {
    id: "phone-code",
    inputmode: "numeric",
    autocomplete: "one-time-code",
    pattern: "[0-9]{6}",
    maxlength: 6,
    placeholder: "123456",
  });
  const codeRow = h("div", { class: "field", hidden: true }, h("label", { for: "phone-code" }, "Code from the text message"), code);
  const submit = h("button", { class: "btn btn-secondary", type: "submit" }, "Text me a code");
  const recaptcha = h("div", { id: "recaptcha-container" });
  const form = h(
    "form",
    { class: "phone-form", "aria-label": "Sign in with a phone number" },
    h("div", { class: "field" }, h("label", { for: "phone-number" }, "Phone number"), phone),
    codeRow,
    submit,
    recaptcha,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      if (!confirmation) {
        verifier ??= new RecaptchaVerifier(auth, recaptcha, { size: "invisible" });
        confirmation = await signInWithPhoneNumber(auth, phone.value.replace(/[\s()-]/g, ""), verifier);
        codeRow.hidden = false;
        phone.disabled = true;
        submit.textContent = "Sign in";
        code.focus();
      } else {
        await confirmation.confirm(code.value.trim());
      }
    } catch (e) {
      showError(e);
      if (!confirmation) {
        verifier?.clear();
        verifier = null;
      }
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
