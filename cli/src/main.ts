import { useChineseIssueMessages } from '@jobcast/config';
import { Command, Option } from 'commander';
import { assetsAddCommand, assetsListCommand } from './commands/assets.ts';
import { migrateBeforeStart, migrateCommand } from './commands/db.ts';
import { exportEvidenceCommand, exportLedgerCommand } from './commands/export.ts';
import { fairsAddCommand, fairsListCommand, fairsPhotoCommand, fairsShowCommand } from './commands/fairs.ts';
import { importCommand } from './commands/imports.ts';
import { jobsListCommand, jobsRenormalizeCommand } from './commands/jobs.ts';
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
import { chineseError, chineseHelp, cliVersion } from './help.ts';

// What a person typed or configured is checked with zod in many places: its messages are Chinese.
useChineseIssueMessages();

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
        prepare: options.demo ? migrateBeforeStart : undefined,
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

// Set before any subcommand is declared: each copies these from its parent.
const program = new Command('jobcast')
  .description('JobCast（岗播）— 岗位数据、短视频、直播带岗')
  .version(`jobcast ${cliVersion()}`, '-v, --version', '显示版本号')
  .helpOption('-h, --help', '显示帮助')
  .helpCommand('help [command]', '显示某个命令的帮助')
  .configureHelp(chineseHelp)
  .configureOutput({ outputError: (text, write) => write(chineseError(text)) })
  .showHelpAfterError();

const db = program.command('db').description('数据库');
db.command('migrate').description('创建数据库（如缺）并执行迁移').action(once(migrateCommand));

program
  .command('import')
  .description('导入岗位表格：CSV（UTF-8/GBK/GB18030）、XLSX、JSON')
  .argument('<file>', '文件路径')
  .option('--site <code>', '站点代码')
  .option('--sheet <name>', 'XLSX 工作表名，默认第一个')
  .option('--json', '输出 JSON')
  .action(once(importCommand));

const jobs = program.command('jobs').description('岗位');
jobs
  .command('list')
  .description('列出岗位')
  .option('--site <code>', '站点代码')
  .option('--category <category>', '类别：全职、兼职、零工、实习（也可写 full-time、part-time、gig、internship）')
  .option('--search <text>', '按职位、公司、地点搜索')
  .option('--limit <n>', '最多条数', '50')
  .option('--json', '输出 JSON')
  .action(once(jobsListCommand));
jobs
  .command('renormalize')
  .description('按现行规则重新清理已导入的岗位，再次导入同一文件不会新增岗位')
  .option('--site <code>', '站点代码')
  .option('--dry-run', '只列出会改什么，不写入')
  .option('--json', '输出 JSON')
  .action(once(jobsRenormalizeCommand));

program
  .command('render')
  .description('制作短视频、海报或月度招工小报')
  .argument('<kind>', 'video（短视频）| poster（海报）| flyer（招工小报）')
  .option(
    '--template <name>',
    '模板名：job-spotlight、weekly-picks、job-poster、multi-job-poster 等；小报默认 monthly-flyer',
  )
  .option('--month <YYYY-MM>', '小报月份，如 2026-11')
  .option('--copies <n>', '小报计划印数，默认 1000')
  .option('--jobs <ids>', '岗位编号，逗号分隔')
  .option('--filter <filter>', '筛选条件，如 category=gig,limit=5,days=7')
  .option('--site <code>', '站点代码')
  .option('--voice <provider[:voice]>', '配音的语音服务和声音，如 espeak:female；默认用站点设置')
  .option('--rate <n>', '语速 0.5–2，默认 1')
  .option(
    '--music <name>',
    '音乐：none（不要音乐）、builtin-bright、builtin-calm，或音乐库的 library-编号（见 jobcast assets list --kind music）；默认用模板设置',
  )
  .option(
    '--clips <spec>',
    '探岗视频的片段，按顺序用逗号分隔：素材编号或本机文件，可加 @开始秒-结束秒 和 :mute，如 12@3-9,./walk.mp4:mute',
  )
  .option('--script-file <file>', '配音稿文件（UTF-8 文本）：每屏一段，段与段之间空一行')
  .option(
    '--writer <rule|ai>',
    '配音稿由谁写：rule 按规则（默认），ai 由 AI 写稿（需配置 JOBCAST_LLM_*，核对不过则改用规则稿）',
  )
  .option('--silent', '不配音')
  .option('--wait', '等待制作完成')
  .option('--json', '输出 JSON')
  .action(once(renderCommand));
program
  .command('renders')
  .description('制作任务')
  .command('list')
  .description('列出制作任务，最新的在前')
  .option('--site <code>', '站点代码')
  .option('--limit <n>', '最多条数', '50')
  .option('--json', '输出 JSON')
  .action(once(rendersListCommand));

const assets = program.command('assets').description('素材：视频片段、照片、音乐库');
assets
  .command('add')
  .description('检查并添加一个素材文件')
  .argument('<file>', '文件路径')
  .requiredOption('--kind <kind>', 'clip（视频片段 MP4/MOV）| photo（照片 JPEG/PNG/WebP）| music（音乐 MP3/M4A/WAV）')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(assetsAddCommand));
assets
  .command('list')
  .description('列出素材，最新的在前')
  .option('--kind <kind>', 'clip（视频片段）| photo（照片）| music（音乐）')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(assetsListCommand));

const live = program.command('live').description('直播');
live
  .command('book')
  .description('预约一场直播，给出推流地址和串流密钥')
  .requiredOption('--type <type>', 'job（直播带岗）| policy | training | visit | other')
  .requiredOption('--title <title>', '标题')
  .requiredOption('--start <time>', '开始时间，如 2026-12-01T19:00（站点时区）')
  .option('--minutes <n>', '时长（分钟），默认 90')
  .option('--jobs <ids>', '节目单岗位编号，逗号分隔')
  .option('--relay <url>', '转推地址，可重复', (url: string, urls: string[]) => [...urls, url], [] as string[])
  .option('--anchor <name>', '主播')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(liveBookCommand));
live
  .command('status')
  .description('直播状态和达标情况')
  .argument('<id>', '直播场次编号')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(liveStatusCommand));
live
  .command('present')
  .description('展示节目单中的某个岗位')
  .argument('<id>', '直播场次编号')
  .argument('<jobId>', '岗位编号')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(livePresentCommand));
live
  .command('next')
  .description('展示节目单的下一个岗位')
  .argument('<id>', '直播场次编号')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(liveNextCommand));
live
  .command('end')
  .description('结束直播并给出结论')
  .argument('<id>', '直播场次编号')
  .option('--force', '未达标也结束，记为强制结束')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(liveEndCommand));
live
  .command('key')
  .description('串流密钥丢了：更换串流密钥，旧的立即失效')
  .argument('<id>', '直播场次编号')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(liveKeyCommand));
live
  .command('list')
  .description('一年的直播和达标场次')
  .option('--year <YYYY>', '年份，默认今年')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(liveListCommand));

const screens = program.command('screens').description('大厅屏幕、职播机和节目单');
screens
  .command('list')
  .description('屏幕：分组、在线与否、最后心跳、正在播放、缓存和问题')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON，与 GET /api/screens 的 screens 相同')
  .action(once(screensListCommand));
screens
  .command('pair')
  .description('配对屏幕：在屏幕上打开 <公网地址>/player，输入它显示的 6 位配对码')
  .argument('<code>', '屏幕上显示的 6 位配对码')
  .requiredOption('--group <name>', '分组名称或编号')
  .requiredOption('--name <name>', '屏幕名称，如 大厅东侧电视')
  .option('--create-group', '分组不存在时新建')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(screensPairCommand));
screens
  .command('revoke')
  .description('撤销屏幕：立即停止播放，要再用须重新配对')
  .argument('<id>', '屏幕编号')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(screensRevokeCommand));
screens
  .command('groups')
  .description('屏幕分组：节目单、播放时段、直播')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON，与 GET /api/screen-groups 的 groups 相同')
  .action(once(screensGroupsCommand));
screens
  .command('group')
  .description('查看或修改一个分组：只改给出的项')
  .argument('<name>', '分组名称或编号')
  .option('--mode <mode>', 'auto（自动：在招岗位的最新视频）| manual（手动：--videos 的顺序）')
  .option('--limit <n>', '自动节目单最多几条视频，1–100')
  .option('--videos <ids>', '手动节目单的视频（制作编号），按顺序用逗号分隔，如 12,15,9；none 清空')
  .option(
    '--window <spec>',
    '播放时段，可重复：星期 开始-结束，1 是周一，如 "1-5 08:30-17:30"；--window none 全天播放',
    (spec: string, specs: string[]) => [...specs, spec],
    [] as string[],
  )
  .option('--live <session>', '开播时在屏幕上播放这场直播（直播场次编号）；off 不播放')
  .option('--create-group', '分组不存在时新建')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(screensGroupCommand));
screens
  .command('plays')
  .description('播放记录：按天、屏幕、视频、岗位统计，默认本周')
  .option('--from <YYYY-MM-DD>', '开始日期（站点时区）')
  .option('--to <YYYY-MM-DD>', '结束日期，含当天')
  .option('--screen <id>', '只看这块屏幕')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON，与 GET /api/screen-plays 相同')
  .action(once(screensPlaysCommand));

program
  .command('kpi')
  .description('服务年度各项指标：完成数、按进度应完成、预计全年、得分')
  .option('--year <YYYY>', '服务年度（开始的年份），默认今天所在的服务年度')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON，与 GET /api/kpi 相同')
  .action(once(kpiCommand));

const fairs = program.command('fairs').description('招聘会：AI数智招聘会和线下招聘会');
fairs
  .command('list')
  .description('服务年度的招聘会和达标情况')
  .option('--year <YYYY>', '服务年度（开始的年份），默认今天所在的服务年度')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON，与 GET /api/fairs 相同')
  .action(once(fairsListCommand));
fairs
  .command('add')
  .description('登记一场招聘会及其用人单位')
  .requiredOption('--kind <kind>', 'ai（AI数智招聘会）| onsite（线下招聘会）')
  .requiredOption('--title <title>', '名称')
  .requiredOption('--start <time>', '开始时间，如 "2026-05-10 09:00"（站点时区）')
  .requiredOption('--end <time>', '结束时间，如 "2026-05-10 11:30"')
  .requiredOption('--venue <venue>', '地点')
  .option('--group <name>', '屏幕分组名称或编号，AI数智招聘会必填')
  .option(
    '--employer <name>',
    '用人单位名称（岗位库中的），可重复',
    (name: string, names: string[]) => [...names, name],
    [] as string[],
  )
  .option('--seekers <n>', '到场求职者人数')
  .option('--offers <n>', '达成意向人数')
  .option('--plan-file <file>', '活动方案文件，PDF 或 Word')
  .option('--summary <text>', '活动总结')
  .option('--summary-file <file>', '活动总结文件，PDF 或 Word')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(fairsAddCommand));
fairs
  .command('show')
  .description('一场招聘会：单位和岗位、照片、播放和结论')
  .argument('<id>', '招聘会编号')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(fairsShowCommand));
fairs
  .command('photo')
  .description('上传招聘会照片：检查是图片，去除位置等元数据')
  .argument('<id>', '招聘会编号')
  .argument('<file>', '照片文件')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(fairsPhotoCommand));

const exportGroup = program.command('export').description('导出台账和佐证材料');
exportGroup
  .command('ledger')
  .description('服务年度台账 XLSX：汇总和六类台账')
  .requiredOption('--year <YYYY>', '服务年度开始的年份')
  .requiredOption('--out <file>', '写到这个文件，例如 台账-2026.xlsx')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(exportLedgerCommand));
exportGroup
  .command('evidence')
  .description('一类工作的佐证材料 ZIP：台账和证据文件')
  .requiredOption(
    '--line <line>',
    'videos（短视频）| livestreams（直播）| flyers（招工小报）| coverage（媒体宣传）| aiFairs（AI数智招聘会）| onsiteFairs（线下招聘会）',
  )
  .requiredOption('--year <YYYY>', '服务年度开始的年份')
  .requiredOption('--out <file>', '写到这个文件，例如 短视频-2026.zip')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(exportEvidenceCommand));

const users = program.command('users').description('用户');
users
  .command('add')
  .argument('<username>', '用户名')
  .description('添加用户；不给密码时在终端里输入两次')
  .requiredOption('--role <role>', '角色：admin（管理员）| media（宣传）| anchor（主播）| manager（负责人）')
  .option('--deployment-admin', '系统管理员：管理所有站点共用的部分，如任务队列')
  .option('--password-stdin', '从标准输入读取密码')
  .option('--password <password>', '密码（会留在命令历史里，优先用 --password-stdin）')
  .option('--name <display>', '显示名')
  .option('--site <code>', '站点代码')
  .option('--json', '输出 JSON')
  .action(once(usersAddCommand));
users
  .command('list')
  .description('列出用户，不含密码')
  .option('--site <code>', '只列这个站点的')
  .option('--json', '输出 JSON')
  .action(once(usersListCommand));
users
  .command('passwd')
  .description('修改密码，并退出该用户的网页登录')
  .argument('<username>', '用户名')
  .option('--password-stdin', '从标准输入读取密码')
  .option('--json', '输出 JSON')
  .action(once(usersPasswdCommand));
users
  .command('disable')
  .description('停用用户：退出其登录，作废其 API 令牌')
  .argument('<username>', '用户名')
  .option('--enable', '重新启用')
  .option('--json', '输出 JSON')
  .action(once(usersDisableCommand));
users
  .command('enable')
  .description('重新启用用户')
  .argument('<username>', '用户名')
  .option('--json', '输出 JSON')
  .action(once(usersEnableCommand));
users
  .command('set')
  .description('修改用户权限')
  .argument('<username>', '用户名')
  .option('--deployment-admin', '设为系统管理员')
  .option('--no-deployment-admin', '不再是系统管理员')
  .action(once(usersSetCommand));

const tokens = program.command('tokens').description('API 令牌');
tokens
  .command('create')
  .description('为用户创建 API 令牌，令牌只显示这一次')
  .argument('<username>', '用户名')
  .option('--name <name>', '令牌用途')
  .option('--days <n>', '有效天数')
  .option('--json', '输出 JSON')
  .action(once(tokensCreateCommand));

const sites = program.command('sites').description('站点');
sites
  .command('add')
  .description('添加站点')
  .argument('<code>', '站点代码：小写字母、数字和 -')
  .requiredOption('--name <name>', '站点名称')
  .option('--timezone <tz>', '时区', 'Asia/Shanghai')
  .action(once(sitesAddCommand));
sites.command('list').description('列出站点').option('--json', '输出 JSON').action(once(sitesListCommand));
sites
  .command('set')
  .description('修改站点设置')
  .argument('<code>', '站点代码')
  .option('--service-year-start <MM-DD>', '服务年度开始的月日，如 03-01，不可为 02-29')
  .action(once(sitesSetCommand));
sites
  .command('voice')
  .description('站点短视频的默认配音；不带选项时显示当前设置和可选声音')
  .argument('[code]', '站点代码，默认 JOBCAST_SITE')
  .option('--provider <id>', '语音服务：espeak 离线，tencent 腾讯云，volcengine 火山引擎；云服务须先配置密钥')
  .option('--voice <id>', '声音编号，如 female、101001；不填用该服务的默认声音')
  .option('--rate <n>', '语速 0.5–2，1 为正常')
  .option('--json', '输出 JSON')
  .action(once(sitesVoiceCommand));

const none: Which = { api: false, ingest: false, render: false, stream: false };
program
  .command('serve')
  .description('启动 API 服务')
  .action(serve({ ...none, api: true }));
const worker = program.command('worker').description('后台任务');
worker
  .command('ingest')
  .description('处理上传的导入文件')
  .action(serve({ ...none, ingest: true }));
worker
  .command('render')
  .description('制作视频、海报和小报')
  .action(serve({ ...none, render: true }));
program
  .command('stream')
  .description('直播推流服务：RTMP 接入、录制、转推')
  // `jobcast start` runs the stream service as its child: it reports to its parent over IPC.
  .addOption(new Option('--supervised').hideHelp())
  .action((options: { supervised?: boolean }) =>
    serve({ ...none, stream: true }, { supervised: Boolean(options.supervised) })(),
  );
program
  .command('start')
  .description('启动全部服务')
  .option('--demo', '载入演示数据')
  .action((options: { demo?: boolean }) =>
    serve(
      { api: true, ingest: true, render: true, stream: true },
      { demo: Boolean(options.demo), streamProcess: true },
    )(),
  );

await program.parseAsync(process.argv);
