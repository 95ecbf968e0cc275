/** The page events a meeting follows: the network changed (restart ICE), the tab goes away (say bye). */
export function watchPage(onNetworkChange: () => void, onPageHide: () => void): () => void {
  const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
  window.addEventListener("online", onNetworkChange);
  connection?.addEventListener?.("change", onNetworkChange);
  window.addEventListener("pagehide", onPageHide);
  return () => {
    window.removeEventListener("online", onNetworkChange);
    connection?.removeEventListener?.("change", onNetworkChange);
    window.removeEventListener("pagehide", onPageHide);
  };
}
