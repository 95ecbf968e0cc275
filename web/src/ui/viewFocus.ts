/**
 * Focus on a view change (sign-in, home, a room's screens, leaving, errors): where the new view
 * did not take focus itself (a form's first field, the sign-in button), its heading gets it, or
 * its `<main>`, so focus is never left on the page's body and a screen reader starts at the top.
 */
export function focusView(root: ParentNode = document): void {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  const target = root.querySelector<HTMLElement>("h1") ?? root.querySelector<HTMLElement>("main");
  if (!target) return;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus();
}
