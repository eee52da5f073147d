import type React from 'react';

/** Two points joined by a transform arrow: the Probes view's sidebar icon. */
export const IconProbe = (p: { size?: number; className?: string }): React.JSX.Element => (
  <svg className={p.className} width={p.size ?? 16} height={p.size ?? 16} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <circle cx="6" cy="7" r="2.5" />
    <circle cx="17" cy="16" r="2.5" />
    <path d="M8.2 8.6 14.8 14.4" />
    <path d="M14 16h-3.5M17 13.5V10" />
  </svg>
);
