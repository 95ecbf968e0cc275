/**
 * What analytics may know of a page: its route name, never its address. "/m/abc-defg-hij"
 * becomes "/m/:meeting"; anything unknown becomes "/other" (public/analytics/frame.js accepts
 * exactly these names and drops anything else).
 */

export const ROUTES = ["/", "/m/:meeting", "/privacy", "/my-data", "/other"] as const;
export type Route = (typeof ROUTES)[number];

export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return "/";
  if (/^\/m\/[^/]+$/.test(path)) return "/m/:meeting";
  if (path === "/privacy") return "/privacy";
  if (path === "/my-data") return "/my-data";
  return "/other";
}
