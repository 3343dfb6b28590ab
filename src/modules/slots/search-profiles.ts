import { Injectable, Logger } from '@nestjs/common';
import { SessionHistogram } from './session-histogram';
import { ProfileTuple, SearchScope, SlotSearchRepository } from './slot-search.repository';

/** How long the rule shapes are reused before they are read again (they only size windows). */
const MAX_AGE_MS = 60_000;
const MAX_SCOPES = 5_000;

export interface ScopeProfile {
  histogram: SessionHistogram;
  /** The smallest minimum notice among the scope's branches (no slot starts sooner). */
  minNoticeMinutes: number;
}

/**
 * Weekly session histograms per search scope, from every rule's shape read at most once a minute
 * per instance. The search only uses them to decide how much time to load at once: a stale
 * histogram makes a search take another step or load more than needed, never changes its result.
 */
@Injectable()
export class SearchProfiles {
  private readonly logger = new Logger(SearchProfiles.name);
  private rows?: ProfileTuple[];
  private readAt = 0;
  private reading?: Promise<void>;
  private readonly scopes = new Map<string, ScopeProfile>();

  constructor(private readonly repo: SlotSearchRepository) {}

  /** The scope's profile, or undefined while none could be read. */
  async of(scope: SearchScope): Promise<ScopeProfile | undefined> {
    if (!this.rows) await this.refresh();
    else if (Date.now() - this.readAt > MAX_AGE_MS) void this.refresh();
    const rows = this.rows;
    if (!rows) return undefined;
    const key = JSON.stringify([scope.kinds, scope.locationIds ?? null, scope.municipality ?? null, scope.language ?? null, scope.topic ?? null]);
    let profile = this.scopes.get(key);
    if (!profile) {
      profile = build(rows, scope);
      if (this.scopes.size >= MAX_SCOPES) this.scopes.delete(this.scopes.keys().next().value!);
      this.scopes.set(key, profile);
    }
    return profile;
  }

  private refresh(): Promise<void> {
    this.reading ??= this.repo
      .profile()
      .then((rows) => {
        this.rows = rows;
        this.readAt = Date.now();
        this.scopes.clear();
      })
      .catch((error: unknown) => {
        this.logger.warn(`Could not read rule shapes for slot search planning: ${String(error)}`);
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}

function build(rows: ProfileTuple[], scope: SearchScope): ScopeProfile {
  const locations = scope.locationIds ? new Set(scope.locationIds) : undefined;
  let minNotice = Infinity;
  const shapes = [];
  for (const [locationId, municipality, timeZone, notice, kind, languages, topics, weekday, startMinute, endMinute, sessionMinutes, bufferMinutes] of rows) {
    if (locations && !locations.has(locationId)) continue;
    if (scope.municipality !== undefined && municipality !== scope.municipality) continue;
    if (!scope.kinds.includes(kind)) continue;
    if (scope.language !== undefined && !languages.includes(scope.language)) continue;
    if (scope.topic !== undefined && !topics.includes(scope.topic)) continue;
    if (notice < minNotice) minNotice = notice;
    shapes.push({ timeZone, weekday, startMinute, endMinute, sessionMinutes, bufferMinutes });
  }
  return { histogram: SessionHistogram.of(shapes), minNoticeMinutes: Number.isFinite(minNotice) ? minNotice : 0 };
}
