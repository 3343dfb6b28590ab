import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './to-problem';

/** Answers a browser with an HTML page instead (the web module's renderHtmlError); false: send problem+json. */
export type HtmlErrorHook = (request: FastifyRequest, reply: FastifyReply, status: number, headers: Record<string, string>) => boolean;

/** The one place where anything thrown becomes application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  constructor(private readonly htmlError?: HtmlErrorHook) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger, this.htmlError);
  }
}

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Pick<Logger, 'error'>, htmlError?: HtmlErrorHook): void {
  const { body, headers, unexpected } = toProblem(error);
  if (unexpected) {
    body.requestId = request.id;
    logger.error(`request ${request.id} ${request.method} ${request.routeOptions?.url ?? ''} failed`, (error as Error)?.stack ?? String(error));
  }
  if (reply.sent) return;
  if (htmlError?.(request, reply, body.status, headers)) return;
  void reply
    .status(body.status)
    .headers({ ...headers, 'content-type': 'application/problem+json; charset=utf-8' })
    .send(JSON.stringify(body));
}
