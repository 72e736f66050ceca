/** The overview's skeleton (and any page without its own). */
export default function Loading() {
  return (
    <div className="stack" role="status" aria-label="Loading">
      <div className="skeleton" style={{ width: 220, height: 28 }} />
      <div className="stats">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="skeleton" style={{ height: 78 }} />
        ))}
      </div>
      <div className="skeleton" style={{ height: 220 }} />
      <div className="skeleton" style={{ height: 260 }} />
    </div>
  );
}
