import type { MouseEvent } from 'react';
import { useLocation } from 'wouter';

/**
 * Props that make any link-like component (a Mantine NavLink, Anchor or Button rendered as <a>) navigate inside
 * the application: a real href (open in a new tab, copy the address) and a click handled by the router.
 */
export function useLien(): (href: string) => { href: string; onClick: (event: MouseEvent) => void } {
  const [, navigate] = useLocation();
  return (href) => ({
    href,
    onClick: (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(href);
    },
  });
}
