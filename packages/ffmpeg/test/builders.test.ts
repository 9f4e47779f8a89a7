import { describe, expect, it } from 'vitest';
import {
  concatList,
  footageSoundArgs,
  outTimeSeconds,
  PLATFORM_H264_OPTIONS,
  parseProbe,
  planFrames,
  profileProblems,
  progressReader,
  publishFileArgs,
  relayArgs,
  remuxArgs,
  soundMuxArgs,
  soundTrackAacArgs,
  stillsVideoArgs,
  testStreamArgs,
  thumbnailArgs,
  type VideoFacts,
  type VideoPlan,
  videoFilterGraph,
} from '../src/index.ts';

const frame = { width: 64, height: 48, fps: 10 };
const still = { motion: 'none' as const, width: 64, height: 48 };
const twoScenes: VideoPlan = {
  ...frame,
  transition: { type: 'fade', seconds: 0.5 },
  scenes: [
    { ...still, seconds: 2 },
    { seconds: 2, motion: 'drift', width: 68, height: 50 },
  ],
};

describe('the stills filter graph', () => {
  it.each([
    {
      plan: { ...frame, transition: { type: 'fade', seconds: 0.5 }, scenes: [{ ...still, seconds: 3 }] },
      frames: { sceneFrames: [30], transitionFrames: 0, totalFrames: 30 },
      graph: [
        '[0:v]format=yuv420p,setsar=1,loop=loop=29:size=1:start=0,settb=1/10,setpts=N[s0p0]',
        '[s0p0]trim=start_frame=0:end_frame=30,setpts=PTS-STARTPTS[b0]',
        '[b0]concat=n=1:v=1:a=0[video]',
      ],
    },
    {
      plan: twoScenes,
      frames: { sceneFrames: [20, 20], transitionFrames: 5, totalFrames: 35 },
      graph: [
        '[0:v]format=yuv420p,setsar=1,loop=loop=19:size=1:start=0,settb=1/10,setpts=N,split=2[s0p0][s0p1]',
        '[s0p0]trim=start_frame=0:end_frame=15,setpts=PTS-STARTPTS[b0]',
        '[s0p1]trim=start_frame=15,setpts=PTS-STARTPTS[t0]',
        "[1:v]format=yuv420p,setsar=1,loop=loop=19:size=1:start=0,settb=1/10,setpts=N,crop=64:48:x='4*n/20':y=1,split=2[s1p0][s1p1]",
        '[s1p0]trim=end_frame=5,setpts=PTS-STARTPTS[h1]',
        '[s1p1]trim=start_frame=5:end_frame=20,setpts=PTS-STARTPTS[b1]',
        '[t0][h1]xfade=transition=fade:duration=0.5000:offset=0[x1]',
        '[b0][x1][b1]concat=n=3:v=1:a=0[video]',
      ],
    },
    {
      plan: {
        ...frame,
        transition: { type: 'slideup', seconds: 0.2 },
        scenes: [1, 1.5, 1].map((seconds) => ({ ...still, seconds })),
      },
      frames: { sceneFrames: [10, 15, 10], transitionFrames: 2, totalFrames: 31 },
      graph: [
        '[0:v]format=yuv420p,setsar=1,loop=loop=9:size=1:start=0,settb=1/10,setpts=N,split=2[s0p0][s0p1]',
        '[s0p0]trim=start_frame=0:end_frame=8,setpts=PTS-STARTPTS[b0]',
        '[s0p1]trim=start_frame=8,setpts=PTS-STARTPTS[t0]',
        '[1:v]format=yuv420p,setsar=1,loop=loop=14:size=1:start=0,settb=1/10,setpts=N,split=3[s1p0][s1p1][s1p2]',
        '[s1p0]trim=end_frame=2,setpts=PTS-STARTPTS[h1]',
        '[s1p1]trim=start_frame=2:end_frame=13,setpts=PTS-STARTPTS[b1]',
        '[s1p2]trim=start_frame=13,setpts=PTS-STARTPTS[t1]',
        '[t0][h1]xfade=transition=slideup:duration=0.2000:offset=0[x1]',
        '[2:v]format=yuv420p,setsar=1,loop=loop=9:size=1:start=0,settb=1/10,setpts=N,split=2[s2p0][s2p1]',
        '[s2p0]trim=end_frame=2,setpts=PTS-STARTPTS[h2]',
        '[s2p1]trim=start_frame=2:end_frame=10,setpts=PTS-STARTPTS[b2]',
        '[t1][h2]xfade=transition=slideup:duration=0.2000:offset=0[x2]',
        '[b0][x1][b1][x2][b2]concat=n=5:v=1:a=0[video]',
      ],
    },
  ])(
    'plans $frames.totalFrames frames for $plan.scenes.length scene(s) and blends only the transitions',
    ({ plan, frames, graph }) => {
      expect(planFrames(plan)).toEqual(frames);
      expect(videoFilterGraph(plan).split(';')).toEqual(graph);
    },
  );

  it.each([
    {
      why: 'an unknown transition',
      plan: { ...twoScenes, transition: { type: 'x;drawtext', seconds: 0.5 } },
      error: /unknown transition x;drawtext/,
    },
    { why: 'a fractional frame rate', plan: { ...twoScenes, fps: 29.97 }, error: /fps is not a whole number: 29.97/ },
    {
      why: 'a scene shorter than its transitions',
      plan: { ...twoScenes, scenes: [{ ...still, seconds: 0.5 }, ...twoScenes.scenes.slice(1)] },
      error: /scene 1 is shorter than its transitions/,
    },
    {
      why: 'a still that is not frame-sized',
      plan: { ...twoScenes, scenes: [{ ...still, width: 60, seconds: 2 }, ...twoScenes.scenes.slice(1)] },
      error: /scene 1 still is 60×48, not 64×48/,
    },
    {
      why: 'a drifting still smaller than the frame',
      plan: {
        ...twoScenes,
        scenes: [twoScenes.scenes[0], { seconds: 2, motion: 'drift' as const, width: 60, height: 48 }],
      },
      error: /drift width is not a whole number: -4/,
    },
  ])('refuses $why', ({ plan, error }) => {
    expect(() => videoFilterGraph(plan as VideoPlan)).toThrow(error);
  });
});

describe('content that enters', () => {
  const plan: VideoPlan = {
    width: 1080,
    height: 1920,
    fps: 30,
    transition: { type: 'fade', seconds: 0.5 },
    scenes: [
      { seconds: 2, motion: 'none', width: 1080, height: 1920, enter: { base: 2, layer: 3, frames: 12, rise: 90 } },
      { seconds: 2, motion: 'none', width: 1080, height: 1920 },
    ],
  };

  it('composites only the entering frames, rising and fading in, then shows the still itself', () => {
    const graph = videoFilterGraph(plan);
    expect(graph).toContain('[2:v]format=yuv420p,setsar=1,loop=loop=11:size=1:start=0,settb=1/30,setpts=N[eb0]');
    expect(graph).toContain(
      '[3:v]format=yuva420p,setsar=1,loop=loop=11:size=1:start=0,settb=1/30,setpts=N,fade=t=in:s=0:n=12:alpha=1[el0]',
    );
    expect(graph).toContain("[eb0][el0]overlay=x=0:y='90*(1-n/12)*(1-n/12)':eval=frame,format=yuv420p[ea0]");
    // The rest of the scene's 60 frames is the still, looped.
    expect(graph).toContain('[0:v]format=yuv420p,setsar=1,loop=loop=47:size=1:start=0,settb=1/30,setpts=N[es0]');
    expect(graph).toContain('[ea0][es0]concat=n=2:v=1:a=0,settb=1/30,setpts=N');
  });

  it('refuses layers that are not inputs after the stills', () => {
    const base = { stills: ['a.png', 'b.png'], plan, audio: null, output: 'o.mp4' };
    expect(() => stillsVideoArgs({ ...base, layers: ['base.png'] })).toThrow(/enter input 3 is not a layer/);
    const args = stillsVideoArgs({ ...base, layers: ['base.png', 'layer.png'] });
    expect(args.slice(0, 16)).toEqual(
      ['a.png', 'b.png', 'base.png', 'layer.png'].flatMap((file) => ['-framerate', '30', '-i', file]),
    );
    expect(args).toContain('anullsrc=r=44100:cl=stereo');
  });
});

describe('footage scenes', () => {
  const plan: VideoPlan = {
    width: 1080,
    height: 1920,
    fps: 30,
    transition: { type: 'fade', seconds: 0.5 },
    scenes: [
      { seconds: 2, motion: 'none', width: 1080, height: 1920, footage: { input: 2, fit: 'cover' } },
      {
        seconds: 3,
        motion: 'none',
        width: 1080,
        height: 420,
        footage: { input: 3, fit: 'blur', at: { x: 0, y: 320 } },
      },
    ],
  };
  const clips = [
    { file: 'portrait.mov', startS: 0, seconds: 2 },
    { file: 'landscape.mp4', startS: 4.25, seconds: 3 },
  ];

  it('fills the frame with a portrait clip and lays the card over it, holding the last frame if it runs short', () => {
    const graph = videoFilterGraph(plan);
    expect(graph).toContain(
      '[2:v]fps=30,setpts=N/30/TB,scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,format=yuv420p,' +
        'setsar=1,tpad=stop_mode=clone:stop=60,trim=end_frame=60,setpts=PTS-STARTPTS[fv0]',
    );
    expect(graph).toContain('[0:v]format=yuva420p,setsar=1[fo0]');
    expect(graph).toContain('[fv0][fo0]overlay=x=0:y=0:eof_action=repeat,format=yuv420p,settb=1/30,setpts=N');
  });

  it('fits a landscape clip whole over a blurred copy of itself, blurred and darkened at an eighth of the size', () => {
    const graph = videoFilterGraph(plan);
    expect(graph).toContain(
      '[fa1]scale=135:240:force_original_aspect_ratio=increase:flags=fast_bilinear,crop=135:240,boxblur=4:2,' +
        'eq=brightness=-0.12,scale=1080:1920:flags=fast_bilinear[fbg1]',
    );
    expect(graph).toContain('[fb1]scale=1080:1920:force_original_aspect_ratio=decrease:force_divisible_by=2[ffg1]');
    expect(graph).toContain('[fbg1][ffg1]overlay=x=(W-w)/2:y=(H-h)/2,format=yuv420p');
    // Only the card's own rectangle is blended, at its place.
    expect(graph).toContain('[fv1][fo1]overlay=x=0:y=320:eof_action=repeat');
  });

  it('reads only the part of each clip shown, and puts the sound input after the clips', () => {
    const args = stillsVideoArgs({
      stills: ['a.png', 'b.png'],
      plan,
      audio: 'sound.wav',
      footage: clips,
      output: 'o.mp4',
    });
    const clipArgs = [
      '-ss',
      '0.000',
      '-t',
      '2.000',
      '-i',
      'portrait.mov',
      '-ss',
      '4.250',
      '-t',
      '3.000',
      '-i',
      'landscape.mp4',
    ];
    expect(args.slice(8, 20)).toEqual(clipArgs);
    expect(args.slice(20, 22)).toEqual(['-i', 'sound.wav']);
    expect(args[args.indexOf('-filter_complex') + 1]).toContain('[4:a]apad');
  });

  it.each([
    { why: 'a clip input that is a still', scenes: [{ ...plan.scenes[0], footage: { input: 1, fit: 'cover' } }] },
    { why: 'a clip input past the clips', scenes: [{ ...plan.scenes[0], footage: { input: 4, fit: 'cover' } }] },
  ])('refuses $why', ({ scenes }) => {
    const bad = { ...plan, scenes: [scenes[0], plan.scenes[1]] } as VideoPlan;
    expect(() =>
      stillsVideoArgs({ stills: ['a.png', 'b.png'], plan: bad, audio: null, footage: clips, output: 'o.mp4' }),
    ).toThrow(/footage input \d is not a clip/);
  });

  it('lays each clip’s sound where its scene plays, faded at the cuts', () => {
    const args = footageSoundArgs(
      [
        { file: 'a.mov', startS: 1, seconds: 4, atS: 0 },
        { file: 'b.mp4', startS: 0, seconds: 2, atS: 3.5 },
      ],
      9,
      'ambience.wav',
    );
    expect(args.slice(0, 12)).toEqual([
      '-ss',
      '1.000',
      '-t',
      '4.000',
      '-i',
      'a.mov',
      '-ss',
      '0.000',
      '-t',
      '2.000',
      '-i',
      'b.mp4',
    ]);
    const graph = args[args.indexOf('-filter_complex') + 1] as string;
    expect(graph).toContain('afade=t=out:st=3.700:d=0.300,adelay=0:all=1[p0]');
    expect(graph).toContain('adelay=3500:all=1[p1]');
    expect(graph).toContain('[p0][p1]amix=inputs=2:duration=longest:normalize=0,apad,atrim=end=9.000[out]');
    expect(() => footageSoundArgs([], 9, 'x.wav')).toThrow(/at least one clip/);
  });
});

describe('the stills video arguments', () => {
  const base = { stills: ['a.png', 'b.png'], plan: twoScenes, output: 'out/video.mp4' };
  it.each([
    {
      audio: null,
      threads: undefined,
      audioInput: ['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo'],
      threadArgs: [],
    },
    {
      audio: 'track.wav',
      threads: 2,
      audioInput: ['-i', 'track.wav'],
      threadArgs: ['-threads', '2'],
    },
  ])(
    'encodes H.264 High / AAC MP4 with sound $audio and threads $threads',
    ({ audio, threads, audioInput, threadArgs }) => {
      expect(stillsVideoArgs({ ...base, audio, threads })).toEqual([
        '-framerate',
        '10',
        '-i',
        'a.png',
        '-framerate',
        '10',
        '-i',
        'b.png',
        ...audioInput,
        '-y',
        '-filter_complex',
        `${videoFilterGraph(twoScenes)};[2:a]apad,atrim=end=3.500,asetpts=N/SR/TB[audio]`,
        '-map',
        '[video]',
        '-map',
        '[audio]',
        ...PLATFORM_H264_OPTIONS,
        ...['-c:a', 'aac', '-b:a', '128k', '-ar', '44100', '-ac', '2'],
        '-frames:v',
        '35',
        '-t',
        '3.500',
        ...threadArgs,
        '-f',
        'mp4',
        'out/video.mp4',
      ]);
    },
  );

  it('encodes the picture alone when its sound comes later, then joins the two copying the picture', () => {
    const picture = stillsVideoArgs({ ...base, audio: 'later', metadata: { AIGC: '{"Label":"1"}' } });
    expect(picture).toContain('-an');
    expect(picture).not.toContain('-movflags');
    expect(picture).not.toContain('anullsrc=r=44100:cl=stereo');
    expect(picture.join(' ')).not.toMatch(/-c:a|AIGC|\[audio\]/);
    expect(soundTrackAacArgs('sound.wav', 'sound.m4a')).toEqual([
      '-i',
      'sound.wav',
      '-y',
      '-vn',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-ar',
      '44100',
      '-ac',
      '2',
      '-f',
      'mp4',
      'sound.m4a',
    ]);
    expect(
      soundMuxArgs({
        picture: 'picture.mp4',
        audio: 'sound.m4a',
        metadata: { AIGC: '{"Label":"1"}' },
        output: 'out.mp4',
      }),
    ).toEqual([
      ...['-i', 'picture.mp4', '-i', 'sound.m4a', '-y', '-map', '0:v', '-map', '1:a', '-c', 'copy'],
      ...['-metadata', 'AIGC={"Label":"1"}', '-movflags', '+faststart+use_metadata_tags', '-f', 'mp4', 'out.mp4'],
    ]);
    expect(() => soundMuxArgs({ picture: 'p.mp4', audio: 's.m4a', metadata: { 'a b': 'x' }, output: 'o.mp4' })).toThrow(
      /not a plain name/,
    );
  });

  it('burns in subtitles after the animation and tags the file, keeping unknown tags in MP4', () => {
    const args = stillsVideoArgs({
      ...base,
      audio: null,
      subtitles: 'captions.ass',
      metadata: { AIGC: '{"Label":"1"}' },
    });
    const graph = args[args.indexOf('-filter_complex') + 1] as string;
    expect(graph).toContain('[stills];[stills]ass=captions.ass[video];');
    expect(args).toContain('+faststart+use_metadata_tags');
    expect(args.slice(args.indexOf('-metadata'), args.indexOf('-metadata') + 2)).toEqual([
      '-metadata',
      'AIGC={"Label":"1"}',
    ]);
  });

  it.each([
    { subtitles: '../etc/x.ass', error: /bare .ass file name/ },
    { subtitles: 'a.ass:force_style=x', error: /bare .ass file name/ },
  ])('refuses a subtitle name that could change the filter graph: $subtitles', ({ subtitles, error }) => {
    expect(() => stillsVideoArgs({ ...base, audio: null, subtitles })).toThrow(error);
  });

  it('refuses a metadata key that is not a plain name', () => {
    expect(() => stillsVideoArgs({ ...base, audio: null, metadata: { 'a=b': 'x' } })).toThrow(/not a plain name/);
  });

  it('refuses stills that do not match the scenes', () => {
    expect(() => stillsVideoArgs({ ...base, stills: ['a.png'], audio: null })).toThrow(/1 stills for 2 scenes/);
  });

  it('keeps the platform profile: High, yuv420p, 30 fps, index first', () => {
    expect(PLATFORM_H264_OPTIONS.join(' ')).toBe(
      '-c:v libx264 -profile:v high -pix_fmt yuv420p -preset veryfast -crf 23 -r 30 -movflags +faststart',
    );
  });
});

describe('live stream arguments', () => {
  it.each([
    {
      what: 'the relay copies stdin to the push address without re-encoding',
      args: relayArgs('rtmp://push.example.cn/live/k'),
      expected: '-loglevel error -f flv -i pipe:0 -c copy -f flv rtmp://push.example.cn/live/k',
    },
    {
      what: 'a publisher sends a file looped in real time',
      args: publishFileArgs('s.flv', 'rtmp://127.0.0.1/live/k', 8),
      expected: '-loglevel error -re -stream_loop -1 -i s.flv -t 8 -c copy -f flv rtmp://127.0.0.1/live/k',
    },
    {
      what: 'an audio-only publisher drops the video',
      args: publishFileArgs('s.flv', 'rtmp://127.0.0.1/live/k', 5, { audioOnly: true }),
      expected: '-loglevel error -re -stream_loop -1 -i s.flv -t 5 -vn -c copy -f flv rtmp://127.0.0.1/live/k',
    },
    {
      what: 'the test stream is H.264 + AAC FLV with a keyframe every 2 s',
      args: testStreamArgs('t.flv', { width: 320, height: 240, seconds: 6 }),
      expected:
        '-loglevel error -f lavfi -i testsrc2=size=320x240:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 ' +
        '-t 6 -c:v libx264 -preset veryfast -g 60 -pix_fmt yuv420p -c:a aac -f flv -y t.flv',
    },
    {
      what: 'a test stream at a fixed bit rate',
      args: testStreamArgs('t.flv', { width: 1920, height: 1080, seconds: 20, videoMbits: 3 }),
      expected:
        '-loglevel error -f lavfi -i testsrc2=size=1920x1080:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 ' +
        '-t 20 -c:v libx264 -preset veryfast -b:v 3M -maxrate 3M -bufsize 6M -g 60 -pix_fmt yuv420p -c:a aac -f flv -y t.flv',
    },
  ])('$what', ({ args, expected }) => {
    expect(args.join(' ')).toBe(expected);
  });
});

describe('recording arguments', () => {
  it.each([
    { segments: ['/m/live/1/a.flv'], list: "file '/m/live/1/a.flv'\n" },
    { segments: ["/m/it's.flv", '/m/b.flv'], list: "file '/m/it'\\''s.flv'\nfile '/m/b.flv'\n" },
    { segments: [], list: '' },
  ])('lists $segments.length segment(s) for the concat demuxer', ({ segments, list }) => {
    expect(concatList(segments)).toBe(list);
  });

  it.each([
    {
      what: 'the remux copies the concat list into a faststart MP4',
      args: remuxArgs('list.txt', 'out.mp4'),
      expected: '-f concat -safe 0 -i list.txt -y -c copy -movflags +faststart -f mp4 out.mp4',
    },
    {
      what: 'a thumbnail seeks before decoding and writes one 640-wide JPEG',
      args: thumbnailArgs('rec.mp4', 12, 'thumb.jpg'),
      expected: '-ss 12 -i rec.mp4 -y -frames:v 1 -vf scale=640:-2 -q:v 4 -f image2 thumb.jpg',
    },
  ])('$what', ({ args, expected }) => {
    expect(args.join(' ')).toBe(expected);
  });
});

describe('progress reports', () => {
  it.each([
    { text: '00:00:01.400000', seconds: 1.4 },
    { text: '01:02:03.5', seconds: 3723.5 },
    { text: 'N/A', seconds: null },
    { text: '-577014:32:22.775808', seconds: 0 },
  ])('reads out_time $text as $seconds s', ({ text, seconds }) => {
    expect(outTimeSeconds(text)).toBe(seconds);
  });

  it('reports once per block, whatever the chunks', () => {
    const text =
      'frame=3\nfps=0.00\nout_time=00:00:00.300000\nprogress=continue\n' +
      'frame=10\nout_time=N/A\nspeed=2x\nprogress=end\n';
    for (const size of [1, 7, text.length]) {
      const reports: unknown[] = [];
      const read = progressReader((progress) => reports.push(progress));
      for (let i = 0; i < text.length; i += size) read(text.slice(i, i + size));
      expect(reports).toEqual([
        { frame: 3, seconds: 0.3, done: false },
        // N/A keeps the last known time.
        { frame: 10, seconds: 0.3, done: true },
      ]);
    }
  });

  it('has no frame count for audio-only output', () => {
    const reports: unknown[] = [];
    progressReader((progress) => reports.push(progress))('out_time=00:00:02.000000\nprogress=continue\n');
    expect(reports).toEqual([{ frame: null, seconds: 2, done: false }]);
  });
});

describe('probe results', () => {
  it.each([
    { what: 'no rotation', stream: {}, rotation: 0 },
    {
      what: 'a display matrix of -90 (upright phone)',
      stream: { side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] },
      rotation: 90,
    },
    { what: 'a display matrix of 90', stream: { side_data_list: [{ rotation: 90 }] }, rotation: 270 },
    { what: 'a display matrix of 180', stream: { side_data_list: [{ rotation: 180 }] }, rotation: 180 },
    { what: 'a rotate tag of 90', stream: { tags: { rotate: '90' } }, rotation: 90 },
    { what: 'a nonsense rotate tag', stream: { tags: { rotate: 'up' } }, rotation: 0 },
  ])('turns $what into $rotation° clockwise', ({ stream, rotation }) => {
    const probed = parseProbe('v.mp4', { streams: [{ codec_type: 'video', ...stream }] });
    expect(probed.video?.rotation).toBe(rotation);
  });

  it('reads frame rates, durations and which streams are there', () => {
    const probed = parseProbe('v.mp4', {
      streams: [
        {
          index: 0,
          codec_type: 'video',
          codec_name: 'h264',
          profile: 'High',
          pix_fmt: 'yuv420p',
          width: 1080,
          height: 1920,
          r_frame_rate: '30000/1001',
          avg_frame_rate: '30000/1001',
          duration: '12.012000',
        },
        { index: 1, codec_type: 'audio', codec_name: 'aac', r_frame_rate: '0/0', duration: 'N/A' },
      ],
      format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '12.034000' },
    });
    expect(probed).toMatchObject({ durationS: 12.034, hasVideo: true, hasAudio: true });
    expect(probed.video).toMatchObject({
      codec: 'h264',
      profile: 'High',
      width: 1080,
      height: 1920,
      durationS: 12.012,
    });
    expect(probed.video?.fps).toBeCloseTo(29.97, 2);
    expect(probed.audio).toMatchObject({ codec: 'aac', fps: 0, durationS: null, width: null });
    expect(parseProbe('a.m4a', { streams: [{ codec_type: 'audio' }] })).toMatchObject({
      durationS: 0,
      video: null,
      hasVideo: false,
      hasAudio: true,
    });
  });
});

describe('the platform profile check', () => {
  const profile = {
    width: 1080,
    height: 1920,
    fps: 30,
    minDurationS: 5,
    maxDurationS: 60,
    maxBytes: 128 * 1024 * 1024,
  };
  const good: VideoFacts = {
    videoCodec: 'h264',
    profile: 'High',
    pixelFormat: 'yuv420p',
    width: 1080,
    height: 1920,
    fps: 30,
    durationS: 30,
    bytes: 8_000_000,
    audioCodec: 'aac',
    faststart: true,
  };
  it.each([
    { change: {}, problems: [] },
    { change: { videoCodec: 'hevc' }, problems: ['视频编码是 hevc，应为 h264'] },
    { change: { profile: 'Main' }, problems: ['H.264 档次是 Main，应为 High'] },
    { change: { pixelFormat: 'yuv444p' }, problems: ['像素格式是 yuv444p，应为 yuv420p'] },
    { change: { width: 720, height: 1280 }, problems: ['画面是 720×1280，应为 1080×1920'] },
    { change: { fps: 25 }, problems: ['帧率是每秒 25 帧，应为 30 帧'] },
    { change: { durationS: 4.5 }, problems: ['时长 4.50 秒，不在 5–60 秒之间'] },
    { change: { durationS: 61 }, problems: ['时长 61.00 秒，不在 5–60 秒之间'] },
    {
      change: { bytes: 200 * 1024 * 1024 },
      problems: [`文件 ${200 * 1024 * 1024} 字节，超过 ${128 * 1024 * 1024} 字节`],
    },
    { change: { audioCodec: null }, problems: ['没有声音'] },
    { change: { audioCodec: 'mp3' }, problems: ['声音编码是 mp3，应为 aac'] },
    { change: { faststart: false }, problems: ['索引（moov）不在文件开头（须用 +faststart）'] },
  ])('finds $problems.length problem(s) in $change', ({ change, problems }) => {
    expect(profileProblems({ ...good, ...change }, profile)).toEqual(problems);
  });
});
