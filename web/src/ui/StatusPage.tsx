/** A page that only says what is going on ("Joining…", "Leaving…"), announced politely. */
export function StatusPage({ text }: { text: string }) {
  return (
    <div class="center-page">
      <p class="muted" role="status">
        {text}
      </p>
    </div>
  );
}
