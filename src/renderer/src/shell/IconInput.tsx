import type React from 'react';

/** A text input with an icon at its left edge. */
export function IconInput({
  icon,
  wrapClassName,
  className,
  ...props
}: React.ComponentProps<'input'> & { icon: React.ReactNode; wrapClassName?: string }): React.JSX.Element {
  return (
    <div className={wrapClassName ? `input-wrap ${wrapClassName}` : 'input-wrap'}>
      {icon}
      <input {...props} className={className ? `input ${className}` : 'input'} />
    </div>
  );
}
