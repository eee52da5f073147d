import React from 'react';

/** A two- or three-way switch of buttons. */
export function Segmented<T extends string>(props: {
  value: T;
  options: ReadonlyArray<{ value: T; label: string; title?: string }>;
  onChange: (v: T) => void;
  label: string;
  testId?: string;
}): React.JSX.Element {
  return (
    <div className="segmented" role="radiogroup" aria-label={props.label} data-testid={props.testId}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={props.value === o.value}
          className={props.value === o.value ? 'active' : ''}
          title={o.title}
          onClick={() => props.onChange(o.value)}
          data-value={o.value}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
