import { type JobView, printablePay } from '@jobcast/core';
import { RenderInputError, type TextBinding } from '@jobcast/renders/templates';

/** What templates may print about the office (sites table), with the logo's bytes already read. */
export interface SiteSettings {
  name: string;
  hotline: string | null;
  address: string | null;
  qrUrl: string | null;
  primaryColor: string | null;
  accentColor: string | null;
  logo: Buffer | null;
  /** The site's code, for the AIGC label's producer. */
  code: string;
  /** The narration voice chosen for the site. */
  voiceProvider: string;
  voice: string | null;
  voiceRate: number;
}

/** How a field is named to a person, in error messages. */
export const FIELD_LABELS: Record<TextBinding, string> = {
  'job.title': '职位名称',
  'job.employer': '公司名称',
  'job.pay': '薪资',
  'job.headcount': '招聘人数',
  'job.location': '工作地点',
  'job.requirements': '岗位要求',
  'job.contact': '联系方式',
  'job.education': '学历要求',
  'job.experience': '经验要求',
  'job.description': '岗位描述',
  'site.name': '机构名称',
  'site.hotline': '服务热线',
  'site.address': '地址',
  'explainer.title': '政策标题',
  'explainer.point': '政策要点',
  'explainer.number': '要点序号',
};

/** A policy explainer's words for the scene being drawn. */
export interface SceneText {
  title?: string;
  point?: string;
  number?: string;
}

/**
 * The text a binding gives for a job and site; '' when the job lacks it. Pay the importer could not read
 * fails the render, naming the job (`template`, the template's title, names what was being made).
 */
export function bound(
  binding: TextBinding,
  job: JobView | undefined,
  site: SiteSettings,
  text?: SceneText,
  template?: string,
): string {
  if (binding.startsWith('explainer.')) {
    const value =
      binding === 'explainer.title' ? text?.title : binding === 'explainer.point' ? text?.point : text?.number;
    return value?.trim() ?? '';
  }
  if (binding.startsWith('site.')) {
    const value = binding === 'site.name' ? site.name : binding === 'site.hotline' ? site.hotline : site.address;
    return value?.trim() ?? '';
  }
  if (!job) return '';
  switch (binding) {
    case 'job.title':
      return job.title;
    case 'job.employer':
      return job.employer;
    case 'job.pay': {
      const pay = printablePay(job.pay);
      if (pay === null) throw unreadPayError(job, template);
      return pay;
    }
    case 'job.headcount':
      return job.headcount !== null ? `${job.headcount}人` : (job.headcountText ?? '');
    case 'job.location':
      return job.location ?? '';
    case 'job.requirements':
      return [job.education, job.experience, job.description].filter(Boolean).join(' · ');
    case 'job.contact':
      return [job.contact.name, job.contact.phone].filter(Boolean).join(' ');
    case 'job.education':
      return job.education?.trim() ?? '';
    case 'job.experience':
      return job.experience?.trim() ?? '';
    case 'job.description':
      return job.description?.trim() ?? '';
    default:
      return '';
  }
}

/**
 * A job whose pay is only the posting's own words (the importer could not read them) on a video, poster
 * or flyer: never printed raw, so the render fails, naming the job, the words and how to fix them.
 */
export function unreadPayError(job: JobView, template?: string): RenderInputError {
  const raw = job.pay.text?.trim() ?? '';
  return new RenderInputError(
    'PAY_NOT_NORMALISED',
    `岗位“${job.title}”（编号 ${job.id}）的薪资“${raw}”导入时未能识别，${template ? `「${template}」` : ''}不会把它原样印出：请在岗位数据里把薪资写成规范格式（如 4500-6000元/月、150元/天、面议）后重新导入，或不选这个岗位`,
    { field: 'job.pay', job: job.id, payText: raw },
  );
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** A template colour, or the site's own for primary/accent when it is a valid #rrggbb (it goes into SVG). */
export function colorOf(
  color: string,
  template: { colors: { primary: string; accent: string } },
  site: SiteSettings,
): string {
  if (color === 'primary')
    return site.primaryColor && HEX_COLOR.test(site.primaryColor) ? site.primaryColor : template.colors.primary;
  if (color === 'accent')
    return site.accentColor && HEX_COLOR.test(site.accentColor) ? site.accentColor : template.colors.accent;
  return color;
}
