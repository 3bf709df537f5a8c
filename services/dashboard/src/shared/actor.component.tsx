import { ActorRef } from '../api/fleetjobs-api.types';

/** A person or script by name and id; what was made before sign-in names no one. */
export function Who({ actor }: { actor: ActorRef | null | undefined }) {
  if (!actor) return <span className="muted">Not recorded</span>;
  return (
    <>
      {actor.name} <code className="muted small">{actor.id}</code>
    </>
  );
}
