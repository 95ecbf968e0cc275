/** The frame of the stand-alone pages (privacy, my data): the brand home link, an optional link
 * to another page, and the page's main content. */
import type { ComponentChildren } from "preact";
import { Icon } from "./Icon";

export function InfoPage(props: { link?: { href: string; label: string }; children: ComponentChildren }) {
  return (
    <div class="privacy-page">
      <header class="topbar">
        <a class="brand" href="/" data-link aria-label="AVMeets home">
          <Icon name="cam" />
          <span>AVMeets</span>
        </a>
        {props.link && (
          <>
            <span class="spacer" />
            <a class="btn btn-ghost" href={props.link.href} data-link>
              {props.link.label}
            </a>
          </>
        )}
      </header>
      <main class="privacy-main">{props.children}</main>
    </div>
  );
}
