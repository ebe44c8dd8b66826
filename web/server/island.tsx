/**
 * Server side of an island: the component rendered to HTML inside an element naming the island and carrying its
 * JSON props, which web/client/main.tsx hydrates. Props must be JSON-safe. The wrapper is `display: contents`,
 * so it does not disturb the layout around it.
 */
import type { FunctionComponent } from 'preact';

export function Island<P extends object>({ name, component: Component, props }: { name: string; component: FunctionComponent<P>; props: P }) {
  return (
    <div data-island={name} data-props={JSON.stringify(props)} class="island">
      <Component {...props} />
    </div>
  );
}
