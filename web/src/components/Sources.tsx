// The POLICY-MAP ids behind a rule, shown next to it as small tags ("KA-1"). Every rule the UI shows
// carries these, so staff can look up the clause of the adopted policy it comes from.

export function Sources({ ids, label = 'Policy' }: { ids: readonly string[] | undefined; label?: string }) {
  if (!ids || ids.length === 0) return null;
  return (
    <span className="sources">
      <span className="usa-sr-only">{label}: </span>
      {ids.map((id) => (
        <span key={id} className="usa-tag sources__tag" title={`Policy requirement ${id}`}>
          {id}
        </span>
      ))}
    </span>
  );
}

/** Plain text form, for messages: "Policy: KA-1, KA-5". */
export function sourcesText(ids: readonly string[] | undefined): string {
  return ids && ids.length ? `Policy: ${ids.join(', ')}` : '';
}
