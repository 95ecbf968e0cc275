/** A page that only says what is going on ("Joining…", "Leaving…"), announced politely. */
export function StatusPage({ text }: { text: string }) {
  return (
    <main class="center-page">
      <p class="muted" role="status">
        {text}
      </p>
    </main>
  );
}
