import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { DEFAULT_SMS_TEMPLATE } from '../../../config/notifications.config';
import { HttpSmsSender } from './sms-sender';

/** The HTTP provider against a local gateway. */
describe('HttpSmsSender', () => {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let status = 200;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status).end('{}');
    });
  });
  let url: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    status = 200;
  });

  it('posts the template with JSON-escaped values and the Authorization header', async () => {
    await new HttpSmsSender({ url, auth: 'Bearer abc', template: DEFAULT_SMS_TEMPLATE }).send({ id: 'm1', to: '+358401234567', text: 'Digituki "ti" 1.12.\nklo 10.00' });
    expect(received).toHaveLength(1);
    expect(received[0].headers.authorization).toBe('Bearer abc');
    expect(JSON.parse(received[0].body)).toEqual({ to: '+358401234567', text: 'Digituki "ti" 1.12.\nklo 10.00', id: 'm1' });
  });

  it('takes a gateway’s own body shape', async () => {
    await new HttpSmsSender({ url, template: '{"recipients":[{to}],"message":{text},"ref":{id},"sender":"Kirjasto"}' }).send({ id: 'm2', to: '+358401234567', text: 'Hei' });
    expect(JSON.parse(received[0].body)).toEqual({ recipients: ['+358401234567'], message: 'Hei', ref: 'm2', sender: 'Kirjasto' });
    expect(received[0].headers.authorization).toBeUndefined();
  });

  it('fails on an answer that is not 2xx, without the message in the error', async () => {
    status = 503;
    await expect(new HttpSmsSender({ url, template: DEFAULT_SMS_TEMPLATE }).send({ id: 'm3', to: '+358401234567', text: 'Hei' })).rejects.toThrow('SMS gateway answered 503');
  });
});
