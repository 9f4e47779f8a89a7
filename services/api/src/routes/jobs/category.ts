import { z } from '@hono/zod-openapi';
import { JOB_CATEGORY_CHOICES, jobCategories, jobCategoryOf } from '@jobcast/core';

/** `?category=` of a job list: a code or its Chinese name, answered as the code. */
export const categoryQuery = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text.trim() === '') return undefined;
    const category = jobCategoryOf(text);
    if (category === undefined) {
      ctx.addIssue({ code: 'custom', message: `没有“${text.slice(0, 20)}”这个类别，可选：${JOB_CATEGORY_CHOICES}` });
      return z.NEVER;
    }
    return category;
  })
  .openapi({
    type: 'string',
    description: `A category by its code (${jobCategories.join(', ')}) or its Chinese name (${JOB_CATEGORY_CHOICES})`,
    example: '零工',
  });
