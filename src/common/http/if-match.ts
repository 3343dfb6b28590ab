import { ProblemException } from '../problem/problem.exception';

/** ETag for a versioned resource. */
export function etagOf(version: number | string): string {
  return `"${version}"`;
}

/**
 * API.md: a write with If-Match naming an older ETag fails with 412; without the header the
 * write proceeds. `*` matches anything that exists.
 */
export function assertIfMatch(ifMatch: string | undefined, current: number | string): void {
  if (ifMatch === undefined || ifMatch.trim() === '*' || ifMatch.trim() === '') return;
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(etagOf(current))) {
    throw new ProblemException('version-mismatch', 'The resource changed after you read it.');
  }
}

/** Sets the ETag of a versioned view on the reply and answers the view. */
export function withEtag<T extends { version: number }>(reply: { header(name: string, value: string): unknown }, view: T): T {
  void reply.header('etag', etagOf(view.version));
  return view;
}
