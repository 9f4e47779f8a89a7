import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  narrate,
  tc3Sign,
  tencentFaultKind,
  tencentProvider,
  tencentSpeed,
  type VoiceFaultKind,
  VoiceProviderError,
  voiceProvider,
  voiceProviderIds,
  volcengineFaultKind,
  volcengineProvider,
} from '../src/index.ts';

/**
 * The cloud voices against stand-ins of Tencent's and Volcano's HTTP APIs on 127.0.0.1, answering in the shapes
 * their documentation gives. No real service is called from here.
 */

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = { status: number; json?: unknown; text?: string; headers?: Record<string, string> } | 'hang';

interface StandIn {
  url: string;
  received: Received[];
}

const openServers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(openServers.splice(0).map((close) => close()));
});

/** A local HTTP server that records each request and answers as told (or never, for `'hang'`). */
async function standIn(answer: (received: Received, index: number) => Answer): Promise<StandIn> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const reply = answer(request, received.length - 1);
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(reply.text ?? JSON.stringify(reply.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  openServers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received };
}

/** An address nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

/** 16-bit mono PCM of a 440 Hz tone: what a voice's raw `pcm` reply decodes to. */
function tone(sampleRate: number, ms: number): Buffer {
  const frames = Math.round((sampleRate * ms) / 1000);
  const pcm = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++)
    pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate)), 2 * i);
  return pcm;
}

async function failure(promise: Promise<unknown>): Promise<VoiceProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VoiceProviderError);
    return error as VoiceProviderError;
  }
  throw new Error('expected a VoiceProviderError');
}

function thrown(make: () => unknown): VoiceProviderError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(VoiceProviderError);
    return error as VoiceProviderError;
  }
  throw new Error('expected a VoiceProviderError');
}

const HAN = /\p{Script=Han}/u;
/** 198 characters without a mark: a clause only a voice's own limit cuts (between words, into near-equal parts). */
const LONG_SENTENCE =
  '本中心联合辖区内的物流园区和连锁商超以及社区养老服务机构共同发布一批适合青年和就业困难人员的岗位' +
  '岗位涵盖仓储分拣和配送以及收银理货和护理陪护等多个工种' +
  '所有岗位均依法缴纳社会保险并提供岗前培训和统一工装' +
  '有意向的求职者可以携带身份证和简历到中心一楼服务大厅现场咨询登记' +
  '也可以关注中心公众号在线报名工作人员会在三个工作日内电话联系您安排面试' +
  '中心还为外地来的求职者提供临时住宿和交通补贴信息请大家相互转告';

describe('Tencent Cloud TTS (TextToVoice 2019-08-23)', () => {
  const SECRET_ID = 'AKIDjobcastStandIn0001';
  const SECRET_KEY = 'jobcastStandInSecretKey9Zq';
  const NOW = Date.UTC(2026, 11, 3, 2, 30, 0);

  function env(url: string): NodeJS.ProcessEnv {
    return {
      JOBCAST_TENCENT_SECRET_ID: SECRET_ID,
      JOBCAST_TENCENT_SECRET_KEY: SECRET_KEY,
      JOBCAST_TENCENT_TTS_ENDPOINT: url,
    };
  }

  /** Tencent's envelope: base64 PCM, one subtitle per spoken character, 80 ms each. */
  function spoken(text: string): Answer {
    const chars = Array.from(text).filter((ch) => HAN.test(ch));
    return {
      status: 200,
      json: {
        Response: {
          Audio: tone(16000, chars.length * 80).toString('base64'),
          SessionId: 'session-1',
          Subtitles: chars.map((ch, i) => ({
            Text: ch,
            BeginTime: i * 80,
            EndTime: (i + 1) * 80,
            BeginIndex: i,
            EndIndex: i + 1,
            Phoneme: null,
          })),
          RequestId: 'a1b2c3d4-0000-4000-8000-000000000001',
        },
      },
    };
  }

  function errorReply(code: string, message: string): Answer {
    return {
      status: 200,
      json: {
        Response: { Error: { Code: code, Message: message }, RequestId: 'a1b2c3d4-0000-4000-8000-0000000000ee' },
      },
    };
  }

  describe('the TC3-HMAC-SHA256 signature', () => {
    // Tencent's own worked example (Signature v3: DescribeInstances of CVM at 1551113065), every step.
    const example = {
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      timestamp: 1551113065,
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    };

    it("reproduces the documentation's worked example step by step", () => {
      const signed = tc3Sign(example);
      expect(signed.canonicalRequest).toBe(
        [
          'POST',
          '/',
          '',
          'content-type:application/json; charset=utf-8',
          'host:cvm.tencentcloudapi.com',
          '',
          'content-type;host',
          '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
        ].join('\n'),
      );
      expect(signed.stringToSign).toBe(
        [
          'TC3-HMAC-SHA256',
          '1551113065',
          '2019-02-25/cvm/tc3_request',
          '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
        ].join('\n'),
      );
      expect(signed.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
      expect(signed.authorization).toBe(
        'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
          'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
      );
    });

    it.each([
      // 23:59:59 UTC is 07:59:59 the next day in Beijing: the credential date stays the UTC one.
      [1551139199, '2019-02-25/tts/tc3_request'],
      [1551139200, '2019-02-26/tts/tc3_request'],
      [1796265000, '2026-12-03/tts/tc3_request'],
    ])('dates the credential by UTC: %i → %s', (timestamp, scope) => {
      const signed = tc3Sign({ ...example, service: 'tts', host: 'tts.tencentcloudapi.com', timestamp });
      expect(signed.credentialScope).toBe(scope);
      expect(signed.stringToSign.split('\n').slice(1, 3)).toEqual([String(timestamp), scope]);
      expect(signed.authorization).toMatch(
        new RegExp(
          `^TC3-HMAC-SHA256 Credential=${example.secretId}/${scope}, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`,
        ),
      );
    });

    it('signs the body and the key: any change gives another signature', () => {
      const base = tc3Sign(example).signature;
      expect(tc3Sign({ ...example, payload: `${example.payload} ` }).signature).not.toBe(base);
      expect(tc3Sign({ ...example, secretKey: `${example.secretKey}x` }).signature).not.toBe(base);
      expect(tc3Sign({ ...example, host: 'tts.tencentcloudapi.com' }).signature).not.toBe(base);
    });
  });

  it.each([
    [1, 0],
    [0.8, -1],
    [0.6, -2],
    [0.5, -2],
    [0.9, -0.5],
    [1.1, 0.5],
    [1.2, 1],
    [1.5, 2],
    [2, 4],
    [3, 6],
  ])('reads rate %f as Speed %f (the documented points, linear between them)', (rate, speed) => {
    expect(tencentSpeed(rate)).toBe(speed);
  });

  it.each<[string, VoiceFaultKind]>([
    ['AuthFailure.SignatureFailure', 'auth'],
    ['AuthFailure.SecretIdNotFound', 'auth'],
    ['AuthFailure.SignatureExpire', 'auth'],
    ['UnauthorizedOperation', 'auth'],
    ['UnsupportedOperation.AccountArrears', 'auth'],
    ['UnsupportedOperation.ServerNotOpen', 'auth'],
    ['UnsupportedOperation.NoFreeAccount', 'auth'],
    ['LimitExceeded.AccessLimit', 'transient'],
    ['RequestLimitExceeded', 'transient'],
    ['RequestLimitExceeded.UinLimitExceeded', 'transient'],
    ['InternalError', 'transient'],
    ['InternalError.InternalError', 'transient'],
    ['InvalidParameter.InvalidText', 'request'],
    ['InvalidParameterValue.VoiceType', 'request'],
    ['InvalidParameterValue.TextEmpty', 'request'],
    ['UnsupportedOperation.TextTooLong', 'request'],
    ['MissingParameter', 'request'],
  ])('treats %s as %s', (code, kind) => {
    expect(tencentFaultKind(code)).toBe(kind);
  });

  it('sends a signed TextToVoice request and maps the subtitles to word timings', async () => {
    const server = await standIn((r) => spoken(JSON.parse(r.body).Text));
    const provider = tencentProvider(env(server.url), { now: () => NOW });
    expect(provider).toMatchObject({
      id: 'tencent',
      label: '腾讯云语音合成',
      maxChars: 150,
      model: 'Tencent Cloud TTS TextToVoice 2019-08-23',
      defaultVoice: '101001',
    });
    expect(provider.voices.find((v) => v.id === '101001')?.label).toContain('智瑜');
    expect(provider.markPinyin('店长', 'dian4 zhang3')).toBeNull();

    const synthesis = await provider.synthesize({ text: '招聘仓库管理员', voice: '101001', rate: 1.2 });
    expect(synthesis.pcm.sampleRate).toBe(16000);
    expect(synthesis.pcm.samples.length).toBe(7 * 80 * 16);
    expect(synthesis.words).toEqual(
      Array.from('招聘仓库管理员').map((ch, i) => ({ text: ch, startMs: i * 80, endMs: (i + 1) * 80 })),
    );

    const [request] = server.received;
    if (!request) throw new Error('the stand-in received nothing');
    const timestamp = String(Math.floor(NOW / 1000));
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'x-tc-action': 'TextToVoice',
      'x-tc-version': '2019-08-23',
      'x-tc-timestamp': timestamp,
      'x-tc-region': 'ap-guangzhou',
    });
    expect(request.headers.authorization).toMatch(
      new RegExp(
        `^TC3-HMAC-SHA256 Credential=${SECRET_ID}/2026-12-03/tts/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`,
      ),
    );
    // What Tencent would check: the signature of the host and body that arrived.
    const expected = tc3Sign({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      service: 'tts',
      host: request.headers.host ?? '',
      timestamp: Number(timestamp),
      payload: request.body,
    });
    expect(request.headers.authorization).toBe(expected.authorization);
    expect(JSON.parse(request.body)).toEqual({
      Text: '招聘仓库管理员',
      SessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      VoiceType: 101001,
      Codec: 'pcm',
      SampleRate: 16000,
      Speed: 1,
      EnableSubtitle: true,
    });
    expect(request.body).not.toContain(SECRET_KEY);
  });

  it('takes the region from JOBCAST_TENCENT_REGION', async () => {
    const server = await standIn((r) => spoken(JSON.parse(r.body).Text));
    await tencentProvider({ ...env(server.url), JOBCAST_TENCENT_REGION: 'ap-beijing' }).synthesize({
      text: '你好',
      voice: '501001',
      rate: 1,
    });
    expect(server.received[0]?.headers['x-tc-region']).toBe('ap-beijing');
    expect(JSON.parse(server.received[0]?.body ?? '{}').VoiceType).toBe(501001);
  });

  it('gives up on a stand-in that never answers after its timeout, as a transient fault', async () => {
    const server = await standIn(() => 'hang');
    const provider = tencentProvider(env(server.url), { timeoutMs: 200 });
    const started = Date.now();
    const error = await failure(provider.synthesize({ text: '你好', voice: '101001', rate: 1 }));
    const took = Date.now() - started;
    expect(error.kind).toBe('transient');
    expect(error.provider).toBe('tencent');
    expect(error.message).toContain('腾讯云语音合成在 0.2 秒内没有应答');
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(5000);
  });

  it('fails at once on a refused key, naming the variables, and narrate() does not retry it', async () => {
    const server = await standIn(() =>
      errorReply(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated. Please check your signature is correct.',
      ),
    );
    const error = await failure(
      narrate('仓库管理员招五人。', { provider: tencentProvider(env(server.url)), retryDelaysMs: [1, 1] }),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('腾讯云语音合成');
    expect(error.message).toContain('AuthFailure.SignatureFailure');
    expect(error.message).toContain('JOBCAST_TENCENT_SECRET_ID');
    expect(error.message).toContain('JOBCAST_TENCENT_SECRET_KEY');
    expect(server.received).toHaveLength(1);
  });

  it('treats an HTTP 401 without an envelope as refused credentials', async () => {
    const server = await standIn(() => ({
      status: 401,
      text: 'Unauthorized',
      headers: { 'Content-Type': 'text/plain' },
    }));
    const error = await failure(
      tencentProvider(env(server.url)).synthesize({ text: '你好', voice: '101001', rate: 1 }),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/腾讯云语音合成.*HTTP 401.*JOBCAST_TENCENT_SECRET_ID.*JOBCAST_TENCENT_SECRET_KEY/);
  });

  it('fails at once on a refused text, quoting it', async () => {
    const server = await standIn(() => errorReply('InvalidParameterValue.InvalidText', '请求文本含有非法字符'));
    const error = await failure(
      narrate('仓库管理员招五人。', { provider: tencentProvider(env(server.url)), retryDelaysMs: [1, 1] }),
    );
    expect(error.kind).toBe('request');
    expect(error.message).toContain('「仓库管理员招五人。」');
    expect(server.received).toHaveLength(1);
  });

  it('retries a 500 and succeeds on the third call', async () => {
    const server = await standIn((r, i) =>
      i < 2 ? { status: 500, text: 'Internal Server Error' } : spoken(JSON.parse(r.body).Text),
    );
    const narration = await narrate('仓库管理员招五人。', {
      provider: tencentProvider(env(server.url)),
      retryDelaysMs: [1, 1],
    });
    expect(server.received).toHaveLength(3);
    expect(narration.voice).toEqual({
      provider: 'tencent',
      providerLabel: '腾讯云语音合成',
      model: 'Tencent Cloud TTS TextToVoice 2019-08-23',
      voice: '101001',
      rate: 1,
    });
    expect(narration.cues[0]?.words?.map((w) => w.text).join('')).toBe('仓库管理员招五人');
  });

  it('retries a rate limit', async () => {
    const server = await standIn((r, i) =>
      i === 0 ? errorReply('RequestLimitExceeded', '请求的次数超过了频率限制') : spoken(JSON.parse(r.body).Text),
    );
    await narrate('你好。', { provider: tencentProvider(env(server.url)), retryDelaysMs: [1, 1] });
    expect(server.received).toHaveLength(2);
  });

  it('narrates a whole script in clauses of at most 150 characters, one call each', async () => {
    const server = await standIn((r) => spoken(JSON.parse(r.body).Text));
    const script = `人社局就业服务中心发布岗位。${LONG_SENTENCE}${LONG_SENTENCE}。欢迎报名！`;
    const narration = await narrate(script, {
      provider: tencentProvider(env(server.url)),
      clauseChars: 1000,
      retryDelaysMs: [1, 1],
    });
    const texts = server.received.map((r) => JSON.parse(r.body).Text as string);
    expect(texts).toHaveLength(narration.clauses);
    expect(narration.clauses).toBeGreaterThanOrEqual(4);
    for (const text of texts) expect(Array.from(text).length).toBeLessThanOrEqual(150);
    expect(texts.some((text) => Array.from(text).length > 100)).toBe(true);
    expect(texts.join('').replace(/[。！]/g, '')).toBe(script.replace(/[。！]/g, ''));
    expect(narration.pcm.sampleRate).toBe(16000);
    // Word timings follow each clause's place in the whole narration.
    for (const cue of narration.cues) {
      expect(cue.words?.[0]?.startMs).toBeGreaterThanOrEqual(cue.start * 1000 - 1);
      expect(cue.words?.at(-1)?.endMs).toBeLessThanOrEqual(cue.end * 1000 + 100);
    }
  });

  it('refuses a clause over 150 characters before calling', async () => {
    const server = await standIn((r) => spoken(JSON.parse(r.body).Text));
    const error = await failure(
      tencentProvider(env(server.url)).synthesize({ text: '招'.repeat(151), voice: '101001', rate: 1 }),
    );
    expect(error.kind).toBe('request');
    expect(error.message).toContain('151 字');
    expect(server.received).toHaveLength(0);
  });

  it('asks for the missing credentials by name', () => {
    const none = thrown(() => voiceProvider('tencent', {}));
    expect(none.kind).toBe('auth');
    expect(none.provider).toBe('tencent');
    expect(none.message).toContain('腾讯云语音合成未配置');
    expect(none.message).toContain('JOBCAST_TENCENT_SECRET_ID、JOBCAST_TENCENT_SECRET_KEY');

    const keyOnly = thrown(() =>
      voiceProvider('tencent', { JOBCAST_TENCENT_SECRET_ID: 'AKID1', JOBCAST_TENCENT_SECRET_KEY: '  ' }),
    );
    expect(keyOnly.message).toContain('JOBCAST_TENCENT_SECRET_KEY');
    expect(keyOnly.message).not.toContain('JOBCAST_TENCENT_SECRET_ID');

    const badEndpoint = thrown(() =>
      voiceProvider('tencent', { ...env('http://127.0.0.1:1/'), JOBCAST_TENCENT_TTS_ENDPOINT: 'tts.example' }),
    );
    expect(badEndpoint.message).toContain('JOBCAST_TENCENT_TTS_ENDPOINT');
  });

  it('never puts the secret key in an error message', async () => {
    const echo = `SecretKey=${SECRET_KEY} rejected`;
    const errors: VoiceProviderError[] = [];
    for (const answer of [
      errorReply('AuthFailure.SignatureFailure', echo),
      errorReply('InvalidParameter.InvalidText', echo),
      errorReply('InternalError', echo),
      { status: 401, text: echo },
      { status: 503, text: echo },
      'hang' as const,
    ]) {
      const server = await standIn(() => answer);
      // Only the stand-in that hangs should time out: a loaded CI machine can take 100 ms to answer.
      const provider = tencentProvider(env(server.url), { timeoutMs: answer === 'hang' ? 300 : 10_000 });
      errors.push(await failure(provider.synthesize({ text: '你好', voice: '101001', rate: 1 })));
    }
    errors.push(
      await failure(tencentProvider(env(await closedPort())).synthesize({ text: '你好', voice: '101001', rate: 1 })),
    );
    errors.push(thrown(() => voiceProvider('tencent', { JOBCAST_TENCENT_SECRET_KEY: SECRET_KEY })));
    expect(errors.map((e) => e.kind)).toEqual([
      'auth',
      'request',
      'transient',
      'auth',
      'transient',
      'transient',
      'transient',
      'auth',
    ]);
    for (const error of errors) {
      expect(error.message).not.toContain(SECRET_KEY);
      expect(String(error.stack)).not.toContain(SECRET_KEY);
    }
    expect(errors[6]?.message).toContain('ECONNREFUSED');
  });
});

describe('Volcano Engine 豆包语音 (HTTP V1 /api/v1/tts)', () => {
  const APP_ID = '7390000001';
  const TOKEN = 'jobcastStandInAccessToken5Kx';

  function env(url: string): NodeJS.ProcessEnv {
    return {
      JOBCAST_VOLCENGINE_APP_ID: APP_ID,
      JOBCAST_VOLCENGINE_ACCESS_TOKEN: TOKEN,
      JOBCAST_VOLCENGINE_TTS_ENDPOINT: url,
    };
  }

  /** Volcano's reply: base64 PCM at 24 kHz, timings as a JSON string in addition.frontend (ms). */
  function spoken(body: string, lastWordOverrun = false): Answer {
    const request = JSON.parse(body) as { request: { reqid: string; text: string } };
    const chars = Array.from(request.request.text).filter((ch) => HAN.test(ch));
    const words = chars.map((ch, i) => ({ word: ch, start_time: i * 100, end_time: (i + 1) * 100, confidence: 0.9 }));
    const last = words.at(-1);
    // Seen in the field: the last word's end past the audio's end.
    if (last && lastWordOverrun) last.end_time *= 2;
    return {
      status: 200,
      headers: { 'X-Tt-Logid': '20261203103000DEADBEEF' },
      json: {
        reqid: request.request.reqid,
        code: 3000,
        operation: 'query',
        message: 'Success',
        sequence: -1,
        data: tone(24000, chars.length * 100).toString('base64'),
        addition: { duration: String(chars.length * 100), frontend: JSON.stringify({ words, phonemes: [] }) },
      },
    };
  }

  function errorReply(status: number, code: number, message: string): Answer {
    return { status, json: { reqid: 'r', code, message }, headers: { 'X-Tt-Logid': '20261203103000BADC0DE' } };
  }

  it.each<[{ status: number; code?: number; message?: string }, VoiceFaultKind]>([
    [{ status: 200, code: 3003, message: 'quota exceeded for types: concurrency' }, 'transient'],
    [{ status: 401, code: 3001, message: 'authenticate request: load grant: requested grant not found' }, 'auth'],
    [{ status: 200, code: 3001, message: 'extract request resource id: get resource id: access denied' }, 'auth'],
    [{ status: 200, code: 3001, message: 'quota exceeded for types: 7390000001_lifetime' }, 'auth'],
    [{ status: 200, code: 3005, message: '后端服务忙' }, 'transient'],
    [{ status: 200, code: 3030 }, 'transient'],
    [{ status: 200, code: 3031 }, 'transient'],
    [{ status: 200, code: 3032 }, 'transient'],
    [{ status: 200, code: 3040 }, 'transient'],
    [{ status: 200, code: 3001, message: 'invalid operation' }, 'request'],
    [{ status: 200, code: 3010 }, 'request'],
    [{ status: 200, code: 3011, message: 'illegal input text!' }, 'request'],
    [{ status: 200, code: 3050 }, 'request'],
    [{ status: 500 }, 'transient'],
    [{ status: 502 }, 'transient'],
    [{ status: 429 }, 'transient'],
    [{ status: 403 }, 'auth'],
    [{ status: 404 }, 'request'],
  ])('treats %j as %s', (reply, kind) => {
    expect(volcengineFaultKind(reply)).toBe(kind);
  });

  it('sends the documented body with a Bearer;token header and maps the timestamps to word timings', async () => {
    const server = await standIn((r) => spoken(r.body, true));
    const provider = voiceProvider('volcengine', env(server.url));
    expect(provider).toMatchObject({
      id: 'volcengine',
      label: '火山引擎豆包语音',
      maxChars: 250,
      model: 'Volcano Engine Doubao TTS HTTP V1 (openspeech /api/v1/tts)',
      defaultVoice: 'BV001_streaming',
    });
    expect(provider.markPinyin('店长', 'dian4 zhang3')).toBeNull();

    const synthesis = await provider.synthesize({ text: '招聘仓库管理员', voice: 'BV001_streaming', rate: 1.25 });
    expect(synthesis.pcm.sampleRate).toBe(24000);
    expect(synthesis.pcm.samples.length).toBe(7 * 100 * 24);
    expect(synthesis.words?.map((w) => w.text).join('')).toBe('招聘仓库管理员');
    expect(synthesis.words?.[1]).toEqual({ text: '聘', startMs: 100, endMs: 200 });
    // The overrunning last word ends with the audio.
    expect(synthesis.words?.at(-1)).toEqual({ text: '员', startMs: 600, endMs: 700 });

    const [request] = server.received;
    if (!request) throw new Error('the stand-in received nothing');
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/');
    expect(request.headers.authorization).toBe(`Bearer;${TOKEN}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      app: { appid: APP_ID, token: TOKEN, cluster: 'volcano_tts' },
      user: { uid: 'jobcast' },
      audio: { voice_type: 'BV001_streaming', encoding: 'pcm', rate: 24000, speed_ratio: 1.25 },
      request: {
        reqid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        text: '招聘仓库管理员',
        text_type: 'plain',
        operation: 'query',
        with_timestamp: 1,
      },
    });
  });

  it('uses a new reqid for every call and the cluster from JOBCAST_VOLCENGINE_CLUSTER', async () => {
    const server = await standIn((r) => spoken(r.body));
    const provider = volcengineProvider({ ...env(server.url), JOBCAST_VOLCENGINE_CLUSTER: 'volcano_icl' });
    await provider.synthesize({ text: '你好', voice: 'BV002_streaming', rate: 1 });
    await provider.synthesize({ text: '你好', voice: 'BV002_streaming', rate: 1 });
    const bodies = server.received.map((r) => JSON.parse(r.body));
    expect(bodies[0].app.cluster).toBe('volcano_icl');
    expect(bodies[0].request.reqid).not.toBe(bodies[1].request.reqid);
  });

  it('gives up on a stand-in that never answers after its timeout, as a transient fault', async () => {
    const server = await standIn(() => 'hang');
    const started = Date.now();
    const error = await failure(
      volcengineProvider(env(server.url), { timeoutMs: 200 }).synthesize({
        text: '你好',
        voice: 'BV001_streaming',
        rate: 1,
      }),
    );
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('火山引擎豆包语音在 0.2 秒内没有应答');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails at once on a refused token, naming the variables, and narrate() does not retry it', async () => {
    const server = await standIn(() =>
      errorReply(401, 3001, 'authenticate request: load grant: requested grant not found'),
    );
    const error = await failure(
      narrate('仓库管理员招五人。', { provider: volcengineProvider(env(server.url)), retryDelaysMs: [1, 1] }),
    );
    expect(error.kind).toBe('auth');
    expect(error.provider).toBe('volcengine');
    expect(error.message).toContain('火山引擎豆包语音拒绝了凭证');
    expect(error.message).toContain('JOBCAST_VOLCENGINE_APP_ID');
    expect(error.message).toContain('JOBCAST_VOLCENGINE_ACCESS_TOKEN');
    expect(server.received).toHaveLength(1);
  });

  it('names a voice the app has not bought, and one that does not exist', async () => {
    const denied = await standIn(() =>
      errorReply(200, 3001, 'extract request resource id: get resource id: access denied'),
    );
    const deniedError = await failure(
      volcengineProvider(env(denied.url)).synthesize({ text: '你好', voice: 'BV700_streaming', rate: 1 }),
    );
    expect(deniedError.kind).toBe('auth');
    expect(deniedError.message).toContain('BV700_streaming');

    const missing = await standIn(() => errorReply(200, 3050, 'voice not found'));
    const missingError = await failure(
      narrate('你好。', {
        provider: volcengineProvider(env(missing.url)),
        voice: 'BV002_streaming',
        retryDelaysMs: [1, 1],
      }),
    );
    expect(missingError.kind).toBe('request');
    expect(missingError.message).toContain('没有音色「BV002_streaming」');
    expect(missing.received).toHaveLength(1);
  });

  it('retries a 502 and a busy backend and succeeds on the third call', async () => {
    const server = await standIn((r, i) => {
      if (i === 0)
        return { status: 502, text: '<html>502 Bad Gateway</html>', headers: { 'Content-Type': 'text/html' } };
      if (i === 1) return errorReply(500, 3005, '后端服务忙');
      return spoken(r.body);
    });
    const narration = await narrate('仓库管理员招五人。', {
      provider: volcengineProvider(env(server.url)),
      retryDelaysMs: [1, 1],
    });
    expect(server.received).toHaveLength(3);
    expect(narration.voice.provider).toBe('volcengine');
    expect(narration.pcm.sampleRate).toBe(24000);
  });

  it('narrates a whole script in clauses of at most 250 characters, one call each', async () => {
    const server = await standIn((r) => spoken(r.body));
    const script = `人社局就业服务中心发布岗位。${LONG_SENTENCE}${LONG_SENTENCE}。欢迎报名！`;
    const narration = await narrate(script, {
      provider: volcengineProvider(env(server.url)),
      clauseChars: 1000,
      retryDelaysMs: [1, 1],
    });
    const texts = server.received.map((r) => JSON.parse(r.body).request.text as string);
    expect(texts).toHaveLength(narration.clauses);
    for (const text of texts) {
      expect(Array.from(text).length).toBeLessThanOrEqual(250);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024);
    }
    expect(texts.some((text) => Array.from(text).length > 150)).toBe(true);
    expect(texts.join('').replace(/[。！]/g, '')).toBe(script.replace(/[。！]/g, ''));
    expect(narration.cues.every((cue) => (cue.words?.length ?? 0) > 0)).toBe(true);
  });

  it('refuses a clause over 1024 bytes before calling', async () => {
    const server = await standIn((r) => spoken(r.body));
    const error = await failure(
      volcengineProvider(env(server.url)).synthesize({ text: '招'.repeat(342), voice: 'BV001_streaming', rate: 1 }),
    );
    expect(error.kind).toBe('request');
    expect(error.message).toContain('1026 字节');
    expect(server.received).toHaveLength(0);
  });

  it('asks for the missing credentials by name', () => {
    const none = thrown(() => voiceProvider('volcengine', {}));
    expect(none.kind).toBe('auth');
    expect(none.message).toContain('火山引擎豆包语音未配置');
    expect(none.message).toContain('JOBCAST_VOLCENGINE_APP_ID、JOBCAST_VOLCENGINE_ACCESS_TOKEN');
    const tokenOnly = thrown(() => voiceProvider('volcengine', { JOBCAST_VOLCENGINE_APP_ID: APP_ID }));
    expect(tokenOnly.message).toContain('JOBCAST_VOLCENGINE_ACCESS_TOKEN');
    expect(tokenOnly.message).not.toContain('JOBCAST_VOLCENGINE_APP_ID');
  });

  it('never puts the access token in an error message', async () => {
    const echo = `token ${TOKEN} is not valid`;
    const errors: VoiceProviderError[] = [];
    for (const answer of [
      errorReply(401, 3001, `authenticate request: ${echo}`),
      errorReply(200, 3011, echo),
      errorReply(200, 3031, echo),
      { status: 502, text: echo },
      'hang' as const,
    ]) {
      const server = await standIn(() => answer);
      // Only the stand-in that hangs should time out: a loaded CI machine can take 100 ms to answer.
      const provider = volcengineProvider(env(server.url), { timeoutMs: answer === 'hang' ? 300 : 10_000 });
      errors.push(await failure(provider.synthesize({ text: '你好', voice: 'BV001_streaming', rate: 1 })));
    }
    errors.push(
      await failure(
        volcengineProvider(env(await closedPort())).synthesize({ text: '你好', voice: 'BV001_streaming', rate: 1 }),
      ),
    );
    errors.push(thrown(() => voiceProvider('volcengine', { JOBCAST_VOLCENGINE_ACCESS_TOKEN: TOKEN })));
    expect(errors.map((e) => e.kind)).toEqual([
      'auth',
      'request',
      'transient',
      'transient',
      'transient',
      'transient',
      'auth',
    ]);
    for (const error of errors) {
      expect(error.message).not.toContain(TOKEN);
      expect(String(error.stack)).not.toContain(TOKEN);
    }
  });
});

describe('the voice registry', () => {
  it('offers the offline voice and both cloud voices', () => {
    expect(voiceProviderIds()).toEqual([
      { id: 'espeak', label: '离线语音（eSpeak NG）' },
      { id: 'tencent', label: '腾讯云语音合成' },
      { id: 'volcengine', label: '火山引擎豆包语音' },
    ]);
  });
});
