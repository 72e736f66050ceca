/** The skeleton a page shows while its segment loads: its title, a toolbar and chart-sized blocks. */
export function PageSkeleton({ title, blocks }: { title: string; blocks: number[] }) {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p className="lede">Loading…</p>
        </div>
      </div>
      <div className="toolbar">
        <div className="skeleton" style={{ width: 180, height: 30 }} />
        <div className="skeleton" style={{ width: 240, height: 30 }} />
      </div>
      <div className="stack" role="status" aria-label={`Loading ${title.toLowerCase()}`}>
        {blocks.map((height, i) => (
          <div key={i} className="skeleton" style={{ height }} />
        ))}
      </div>
    </>
  );
}
