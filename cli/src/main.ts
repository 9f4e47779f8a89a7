import { Command, Option } from 'commander';
import { assetsAddCommand, assetsListCommand } from './commands/assets.ts';
import { migrateCommand } from './commands/db.ts';
import { exportEvidenceCommand, exportLedgerCommand } from './commands/export.ts';
import { fairsAddCommand, fairsListCommand, fairsPhotoCommand, fairsShowCommand } from './commands/fairs.ts';
import { importCommand } from './commands/imports.ts';
import { jobsListCommand } from './commands/jobs.ts';
import { kpiCommand } from './commands/kpi.ts';
import {
  liveBookCommand,
  liveEndCommand,
  liveKeyCommand,
  liveListCommand,
  liveNextCommand,
  livePresentCommand,
  liveStatusCommand,
} from './commands/live.ts';
import { renderCommand, rendersListCommand } from './commands/renders.ts';
import {
  screensGroupCommand,
  screensGroupsCommand,
  screensListCommand,
  screensPairCommand,
  screensPlaysCommand,
  screensRevokeCommand,
} from './commands/screens.ts';
import type { Which } from './commands/services.ts';
import { sitesAddCommand, sitesListCommand, sitesSetCommand, sitesVoiceCommand } from './commands/sites.ts';
import {
  tokensCreateCommand,
  usersAddCommand,
  usersDisableCommand,
  usersEnableCommand,
  usersListCommand,
  usersPasswdCommand,
  usersSetCommand,
} from './commands/users.ts';
import { CommandContext } from './context.ts';
import { reportError } from './errors.ts';

let context: CommandContext | undefined;
const ctx = () => {
  context ??= new CommandContext();
  return context;
};

/** Runs a one-shot command: errors become a message and an exit code, the database is closed. */
function once<A extends unknown[]>(run: (ctx: CommandContext, ...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await run(ctx(), ...args);
    } catch (error) {
      process.exitCode = reportError(error);
    } finally {
      await context?.close();
    }
  };
}

/** Runs a long-lived command: start-up checks first, then until a signal, stopped within bounds. */
function serve(which: Which, options: { demo?: boolean; streamProcess?: boolean; supervised?: boolean } = {}) {
  return async () => {
    try {
      const c = ctx();
      if (options.demo) {
        // Refused before anything starts: the demo's users have a published password. Unless told
        // otherwise, its console is reached from this machine only.
        const { checkDemoUsersAllowed, DEMO_LISTEN_HOST } = await import('./commands/demo-users.ts');
        checkDemoUsersAllowed(c.config);
        c.config.listenHost ??= DEMO_LISTEN_HOST;
      }
      // Loaded only here: one-shot commands should not pay for the HTTP server and the workers.
      const { runServices } = await import('./commands/lifecycle.ts');
      await runServices(c, which, {
        streamProcess: options.streamProcess,
        supervised: options.supervised,
        prepare: options.demo ? migrateCommand : undefined,
        afterStart: options.demo
          ? async (c, running) => {
              const { followDemoAiVideos, runDemo } = await import('./commands/demo.ts');
              await runDemo(c, running.urls.api ?? c.config.publicUrl);
              // The demo's AI videos are rendered by the worker just started: each is recorded when done.
              return followDemoAiVideos(c, (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`));
            }
          : undefined,
      });
    } catch (error) {
      process.exitCode = reportError(error);
      await context?.close();
    }
  };
}

const program = new Command('jobcast').description('JobCast（岗播）— 岗位数据、短视频、直播带岗').showHelpAfterError();

const db = program.command('db').description('数据库 (database)');
db.command('migrate')
  .description('创建数据库（如缺）并执行迁移 (create the database if missing, apply migrations)')
  .action(once(migrateCommand));

program
  .command('import')
  .description('导入岗位表格：CSV（UTF-8/GBK/GB18030）、XLSX、JSON (import a job file)')
  .argument('<file>', '文件路径 (file path)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--sheet <name>', 'XLSX 工作表名 (worksheet name; default: the first)')
  .option('--json', '输出 JSON (print the summary as JSON)')
  .action(once(importCommand));

const jobs = program.command('jobs').description('岗位 (jobs)');
jobs
  .command('list')
  .description('列出岗位 (list jobs)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--category <category>', 'full-time | part-time | gig | internship')
  .option('--search <text>', '按职位、公司、地点搜索 (search title, employer, location)')
  .option('--limit <n>', '最多条数 (at most this many)', '50')
  .option('--json', '输出 JSON')
  .action(once(jobsListCommand));

program
  .command('render')
  .description('制作短视频、海报或月度招工小报 (render a video, a poster or the monthly flyer)')
  .argument('<kind>', 'video | poster | flyer')
  .option(
    '--template <name>',
    '模板名 (template): job-spotlight, weekly-picks, job-poster, multi-job-poster; 小报默认 monthly-flyer',
  )
  .option('--month <YYYY-MM>', "小报月份 (the flyer's month), e.g. 2026-11")
  .option('--copies <n>', '小报计划印数 (copies planned), 默认 1000')
  .option('--jobs <ids>', '岗位编号，逗号分隔 (job ids, comma-separated)')
  .option('--filter <filter>', '筛选 (filter), e.g. category=gig,limit=5,days=7')
  .option('--site <code>', '站点代码 (site code)')
  .option('--voice <provider[:voice]>', '配音 (narration voice), e.g. espeak:female; 默认用站点设置')
  .option('--rate <n>', '语速 (speaking rate) 0.5–2, 默认 1')
  .option(
    '--music <name>',
    '音乐 (music): none, builtin-bright, builtin-calm, 或音乐库的 library-N（jobcast assets list --kind music）；默认用模板设置',
  )
  .option(
    '--clips <spec>',
    '探岗视频的片段，按顺序用逗号分隔：素材编号或本机文件，可加 @开始秒-结束秒 和 :mute，如 12@3-9,./walk.mp4:mute (clips: asset ids or files)',
  )
  .option('--script-file <file>', '配音稿文件 (narration script, UTF-8)：每屏一段，段与段之间空一行')
  .option(
    '--writer <rule|ai>',
    '配音稿由谁写 (who writes the script): rule 按规则（默认），ai 由 AI 写稿（需配置 JOBCAST_LLM_*，核对不过则改用规则稿）',
  )
  .option('--silent', '不配音 (no voice-over)')
  .option('--wait', '等待制作完成 (wait until the render is done or failed)')
  .option('--json', '输出 JSON')
  .action(once(renderCommand));
program
  .command('renders')
  .description('制作任务 (renders)')
  .command('list')
  .option('--site <code>', '站点代码 (site code)')
  .option('--limit <n>', '最多条数 (at most this many)', '50')
  .option('--json', '输出 JSON')
  .action(once(rendersListCommand));

const assets = program.command('assets').description('素材：视频片段、照片、音乐库 (media: clips, photos, music)');
assets
  .command('add')
  .description("检查并添加一个素材文件 (check a file and add it to the site's media)")
  .argument('<file>', '文件路径 (file path)')
  .requiredOption('--kind <kind>', 'clip（视频片段 MP4/MOV）| photo（照片 JPEG/PNG/WebP）| music（音乐 MP3/M4A/WAV）')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(assetsAddCommand));
assets
  .command('list')
  .description('列出素材，最新的在前 (list the media, newest first)')
  .option('--kind <kind>', 'clip | photo | music')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(assetsListCommand));

const live = program.command('live').description('直播 (livestreams)');
live
  .command('book')
  .description('预约一场直播，给出推流地址和推流码 (book a livestream: RTMP server and stream key)')
  .requiredOption('--type <type>', 'job（直播带岗）| policy | training | visit | other')
  .requiredOption('--title <title>', '标题 (title)')
  .requiredOption('--start <time>', "开始时间 (start), e.g. 2026-12-01T19:00（站点时区 the site's clock）")
  .option('--minutes <n>', '时长，分钟 (length in minutes), 默认 90')
  .option('--jobs <ids>', '节目单岗位编号，逗号分隔 (rundown job ids, comma-separated)')
  .option(
    '--relay <url>',
    '转推地址，可重复 (a platform push URL to relay to; repeatable)',
    (url: string, urls: string[]) => [...urls, url],
    [] as string[],
  )
  .option('--anchor <name>', '主播 (anchor name)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(liveBookCommand));
live
  .command('status')
  .description('直播状态和达标情况 (status and the guard)')
  .argument('<id>', '直播场次编号 (live session id)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(liveStatusCommand));
live
  .command('present')
  .description('展示节目单中的某个岗位 (put a rundown job on screen)')
  .argument('<id>', '直播场次编号 (live session id)')
  .argument('<jobId>', '岗位编号 (job id)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(livePresentCommand));
live
  .command('next')
  .description('展示节目单的下一个岗位 (put the next rundown job on screen)')
  .argument('<id>', '直播场次编号 (live session id)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(liveNextCommand));
live
  .command('end')
  .description('结束直播并给出结论 (end the livestream and state its verdict)')
  .argument('<id>', '直播场次编号 (live session id)')
  .option('--force', '未达标也结束，记为强制结束 (end even if not qualified; recorded as forced)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(liveEndCommand));
live
  .command('key')
  .description('推流码丢了：更换推流码，旧的立即失效 (replace a lost stream key; the old one stops working)')
  .argument('<id>', '直播场次编号 (live session id)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(liveKeyCommand));
live
  .command('list')
  .description("一年的直播和达标场次 (the year's livestreams and qualified counts)")
  .option('--year <YYYY>', '年份，默认今年 (year; default this year)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(liveListCommand));

const screens = program.command('screens').description('大厅屏幕、职播机和节目单 (hall screens and their playlists)');
screens
  .command('list')
  .description('屏幕：分组、在线与否、最后心跳、正在播放、缓存和问题 (screens, online or not, what they play)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON，与 GET /api/screens 的 screens 相同 (as GET /api/screens)')
  .action(once(screensListCommand));
screens
  .command('pair')
  .description('配对屏幕：在屏幕上打开 <公网地址>/player，输入它显示的 6 位配对码 (pair the screen showing CODE)')
  .argument('<code>', '屏幕上显示的 6 位配对码 (the six digits the screen shows)')
  .requiredOption('--group <name>', '分组名称或编号 (the screen group, by name or id)')
  .requiredOption('--name <name>', '屏幕名称，如 大厅东侧电视 (a name for the screen)')
  .option('--create-group', '分组不存在时新建 (make the group if there is none of that name)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(screensPairCommand));
screens
  .command('revoke')
  .description('撤销屏幕：立即停止播放，要再用须重新配对 (revoke a screen: its token stops at once)')
  .argument('<id>', '屏幕编号 (screen id, see jobcast screens list)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(screensRevokeCommand));
screens
  .command('groups')
  .description('屏幕分组：节目单、播放时段、直播 (screen groups: playlist, play windows, livestream)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON，与 GET /api/screen-groups 的 groups 相同 (as GET /api/screen-groups)')
  .action(once(screensGroupsCommand));
screens
  .command('group')
  .description('查看或修改一个分组：只改给出的项 (show a group, or change what is given)')
  .argument('<name>', '分组名称或编号 (group name or id)')
  .option('--mode <mode>', 'auto（自动：在招岗位的最新视频）| manual（手动：--videos 的顺序）')
  .option('--limit <n>', '自动节目单最多几条视频，1–100 (videos in an automatic playlist)')
  .option(
    '--videos <ids>',
    '手动节目单的视频（制作编号），按顺序用逗号分隔，如 12,15,9；none 清空 (render ids, in order)',
  )
  .option(
    '--window <spec>',
    '播放时段，可重复：星期 开始-结束，1 是周一，如 "1-5 08:30-17:30"；--window none 全天播放 (play window; repeatable)',
    (spec: string, specs: string[]) => [...specs, spec],
    [] as string[],
  )
  .option('--live <session>', '开播时在屏幕上播放这场直播（直播场次编号）；off 不播放 (a live session id, or off)')
  .option('--create-group', '分组不存在时新建 (make the group if there is none of that name)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(screensGroupCommand));
screens
  .command('plays')
  .description(
    '播放记录：按天、屏幕、视频、岗位统计，默认本周 (plays per day, screen, video and job; this week by default)',
  )
  .option('--from <YYYY-MM-DD>', '开始日期（站点时区）(first day, site time)')
  .option('--to <YYYY-MM-DD>', '结束日期，含当天 (last day, included)')
  .option('--screen <id>', '只看这块屏幕 (only this screen)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON，与 GET /api/screen-plays 相同 (as GET /api/screen-plays)')
  .action(once(screensPlaysCommand));

program
  .command('kpi')
  .description('服务年度各项指标：完成数、按进度应完成、预计全年、得分 (targets, pace and points of the service year)')
  .option('--year <YYYY>', '服务年度（开始的年份），默认今天所在的服务年度 (the year the service year starts in)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON，与 GET /api/kpi 相同 (the same object as GET /api/kpi)')
  .action(once(kpiCommand));

const fairs = program.command('fairs').description('招聘会：AI数智招聘会和线下招聘会 (job fairs)');
fairs
  .command('list')
  .description("服务年度的招聘会和达标情况 (the service year's job fairs and their verdicts)")
  .option('--year <YYYY>', '服务年度（开始的年份），默认今天所在的服务年度 (the year the service year starts in)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON，与 GET /api/fairs 相同 (the same object as GET /api/fairs)')
  .action(once(fairsListCommand));
fairs
  .command('add')
  .description('登记一场招聘会及其用人单位 (record a job fair with its employers)')
  .requiredOption('--kind <kind>', 'ai（AI数智招聘会）| onsite（线下招聘会）')
  .requiredOption('--title <title>', '名称 (title)')
  .requiredOption('--start <time>', '开始时间，如 "2026-05-10 09:00"（站点时区 the site\'s clock）')
  .requiredOption('--end <time>', '结束时间，如 "2026-05-10 11:30"')
  .requiredOption('--venue <venue>', '地点 (venue)')
  .option('--group <name>', '屏幕分组名称或编号，AI数智招聘会必填 (screen group; required for an AI fair)')
  .option(
    '--employer <name>',
    '用人单位名称（岗位库中的），可重复 (an employer of the job pool; repeatable)',
    (name: string, names: string[]) => [...names, name],
    [] as string[],
  )
  .option('--seekers <n>', '到场求职者人数 (job seekers who came)')
  .option('--offers <n>', '达成意向人数 (offers of interest made)')
  .option('--plan-file <file>', '活动方案文件，PDF 或 Word (the plan as a file)')
  .option('--summary <text>', '活动总结 (summary text)')
  .option('--summary-file <file>', '活动总结文件，PDF 或 Word (the summary as a file)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(fairsAddCommand));
fairs
  .command('show')
  .description('一场招聘会：单位和岗位、照片、播放和结论 (one fair: employers, jobs, photos, plays, verdict)')
  .argument('<id>', '招聘会编号 (fair id)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(fairsShowCommand));
fairs
  .command('photo')
  .description('上传招聘会照片：检查是图片，去除位置等元数据 (add a photo; location data removed)')
  .argument('<id>', '招聘会编号 (fair id)')
  .argument('<file>', '照片文件 (JPEG, PNG or WebP)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(fairsPhotoCommand));

const exportGroup = program.command('export').description('导出台账和佐证材料 (export the ledgers and evidence)');
exportGroup
  .command('ledger')
  .description("服务年度台账 XLSX：汇总和六类台账 (the service year's ledger workbook)")
  .requiredOption('--year <YYYY>', '服务年度开始的年份 (the year the service year starts in)')
  .requiredOption('--out <file>', '写到这个文件，例如 台账-2026.xlsx (the .xlsx file to write)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON (print what was written as JSON)')
  .action(once(exportLedgerCommand));
exportGroup
  .command('evidence')
  .description("一类工作的佐证材料 ZIP：台账和证据文件 (one line's evidence pack)")
  .requiredOption(
    '--line <line>',
    'videos（短视频）| livestreams（直播）| flyers（招工小报）| coverage（媒体宣传）| aiFairs（AI数智招聘会）| onsiteFairs（线下招聘会）',
  )
  .requiredOption('--year <YYYY>', '服务年度开始的年份 (the year the service year starts in)')
  .requiredOption('--out <file>', '写到这个文件，例如 短视频-2026.zip (the .zip file to write)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON (print what was written as JSON)')
  .action(once(exportEvidenceCommand));

const users = program.command('users').description('用户 (users)');
users
  .command('add')
  .argument('<username>')
  .description('添加用户；不给密码时在终端里输入两次 (add a user; prompts for the password when not given)')
  .requiredOption('--role <role>', 'admin | media | anchor | manager')
  .option('--deployment-admin', '系统管理员：管理所有站点共用的部分，如任务队列 (a deployment-wide admin)')
  .option('--password-stdin', '从标准输入读取密码 (read the password from stdin)')
  .option('--password <password>', '密码（会留在命令历史里，优先用 --password-stdin）')
  .option('--name <display>', '显示名 (display name)')
  .option('--site <code>', '站点代码 (site code)')
  .option('--json', '输出 JSON')
  .action(once(usersAddCommand));
users
  .command('list')
  .description('列出用户，不含密码 (list users)')
  .option('--site <code>', '只列这个站点的 (only this site)')
  .option('--json', '输出 JSON')
  .action(once(usersListCommand));
users
  .command('passwd')
  .description('修改密码，并退出该用户的网页登录 (set a new password; ends their sessions)')
  .argument('<username>')
  .option('--password-stdin', '从标准输入读取密码 (read the password from stdin)')
  .option('--json', '输出 JSON')
  .action(once(usersPasswdCommand));
users
  .command('disable')
  .description('停用用户：退出其登录，作废其 API 令牌 (disable; ends sessions, revokes tokens)')
  .argument('<username>')
  .option('--enable', '重新启用 (enable again)')
  .option('--json', '输出 JSON')
  .action(once(usersDisableCommand));
users
  .command('enable')
  .description('重新启用用户 (enable a disabled user)')
  .argument('<username>')
  .option('--json', '输出 JSON')
  .action(once(usersEnableCommand));
users
  .command('set')
  .description('修改用户权限 (change what a user may do)')
  .argument('<username>')
  .option('--deployment-admin', '设为系统管理员 (make a deployment admin)')
  .option('--no-deployment-admin', '不再是系统管理员 (no longer a deployment admin)')
  .action(once(usersSetCommand));

const tokens = program.command('tokens').description('API 令牌 (API tokens)');
tokens
  .command('create')
  .argument('<username>')
  .option('--name <name>', '令牌用途 (what the token is for)')
  .option('--days <n>', '有效天数 (expires after n days)')
  .option('--json', '输出 JSON')
  .action(once(tokensCreateCommand));

const sites = program.command('sites').description('站点 (sites)');
sites
  .command('add')
  .argument('<code>')
  .requiredOption('--name <name>', '站点名称 (site name)')
  .option('--timezone <tz>', '时区 (IANA time zone)', 'Asia/Shanghai')
  .action(once(sitesAddCommand));
sites.command('list').option('--json').action(once(sitesListCommand));
sites
  .command('set')
  .description("修改站点设置 (change a site's settings)")
  .argument('<code>')
  .option(
    '--service-year-start <MM-DD>',
    '服务年度开始的月日，如 03-01，不可为 02-29 (the service year starts on this day)',
  )
  .action(once(sitesSetCommand));
sites
  .command('voice')
  .description("站点短视频的默认配音；不带选项时显示当前设置和可选声音 (the site's narration voice)")
  .argument('[code]', '站点代码，默认 JOBCAST_SITE (site code)')
  .option(
    '--provider <id>',
    '语音服务 (voice provider): espeak 离线, tencent 腾讯云, volcengine 火山引擎；云服务须先配置密钥',
  )
  .option('--voice <id>', '声音 (voice id), 如 female, 101001；不填用该服务的默认声音')
  .option('--rate <n>', '语速 (pace) 0.5–2，1 为正常')
  .option('--json', '输出 JSON')
  .action(once(sitesVoiceCommand));

const none: Which = { api: false, ingest: false, render: false, stream: false };
program
  .command('serve')
  .description('启动 API 服务 (start the HTTP API)')
  .action(serve({ ...none, api: true }));
const worker = program.command('worker').description('后台任务 (workers)');
worker
  .command('ingest')
  .description('处理上传的导入文件 (run the import worker)')
  .action(serve({ ...none, ingest: true }));
worker
  .command('render')
  .description('制作视频、海报和小报 (run the render worker)')
  .action(serve({ ...none, render: true }));
program
  .command('stream')
  .description('直播推流服务：RTMP 接入、录制、转推 (run the livestream service: RTMP in, recording, relays)')
  // `jobcast start` runs the stream service as its child: it reports to its parent over IPC.
  .addOption(new Option('--supervised').hideHelp())
  .action((options: { supervised?: boolean }) =>
    serve({ ...none, stream: true }, { supervised: Boolean(options.supervised) })(),
  );
program
  .command('start')
  .description('启动全部服务 (start every service)')
  .option('--demo', '载入演示数据 (load demo data)')
  .action((options: { demo?: boolean }) =>
    serve(
      { api: true, ingest: true, render: true, stream: true },
      { demo: Boolean(options.demo), streamProcess: true },
    )(),
  );

await program.parseAsync(process.argv);
