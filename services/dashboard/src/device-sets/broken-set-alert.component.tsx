/** Why a device set can no longer be evaluated, where its devices would be. */
export function BrokenSetAlert({ reason }: { reason: string | null }) {
  return (
    <div className="alert alert--warning" role="alert">
      <p className="alert__title">This device set is broken and lists no devices</p>
      <p>{reason}</p>
    </div>
  );
}
