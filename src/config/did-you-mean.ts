/**
 * The known name closest to a misspelt one, if it is close enough to be a
 * likely typo: closestName('apikey', ['apiKey', 'url']) === 'apiKey'. Case is
 * ignored, and at most a third of the letters (at least one) may differ.
 */
export function closestName(typed: string, known: Iterable<string>): string | undefined {
  const lowered = typed.toLowerCase();
  const allowed = Math.max(1, Math.floor(typed.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(lowered, name.toLowerCase());
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** ' (did you mean apiKey?)', or '' when nothing is close. */
export function didYouMean(typed: string, known: Iterable<string>): string {
  const name = closestName(typed, known);
  return name === undefined ? '' : ` (did you mean ${name}?)`;
}

/**
 * Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment):
 * 'snyc' is one edit from 'sync', as a typist's slip is, not two. Names are short, so full rows are plenty.
 */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let distance = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, (before[j - 2] ?? 0) + 1);
      current.push(distance);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
