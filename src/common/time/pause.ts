import { Injectable } from '@nestjs/common';

/** Waits without blocking the event loop; a provider, so tests can replace the waiting. */
@Injectable()
export class Pause {
  wait(ms: number): Promise<void> {
    return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
  }
}
