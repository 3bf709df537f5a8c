import { AnchorHTMLAttributes } from 'react';
import { hrefOf, Route } from '../routing/routes';

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: Route };

/** A plain anchor to another screen, so that links open in new tabs and work from the keyboard. */
export function Link({ to, children, ...rest }: LinkProps) {
  return (
    <a href={hrefOf(to)} {...rest}>
      {children}
    </a>
  );
}
