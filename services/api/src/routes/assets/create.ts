import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { formatBytes, JobcastError } from '@jobcast/core';
import { schema } from '@jobcast/db';
import { addMediaAsset, MEDIA_KIND_LABELS, MEDIA_LIMITS, MEDIA_MAX_BYTES } from '@jobcast/renders';
import { storageError } from '@jobcast/storage';
import { errorResponse } from '../../errors.ts';
import { ASSET_UPLOADERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { receiveUpload, withUploadSlot } from '../../uploads.ts';
import { assetSchema, toAssetView } from './view.ts';

type Kind = schema.MediaAssetKind;

/** Room for the form's own lines and its `kind` field beside the largest file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

const limitsLine = schema.mediaAssetKinds
  .map((kind) => `${kind} ${formatBytes(MEDIA_LIMITS[kind].maxBytes)}`)
  .join(', ');

const route = createRoute({
  method: 'post',
  path: '/api/assets',
  tags: ['assets'],
  summary: "Upload a clip, photo or music track: checked, stored and added to your site's media",
  description:
    'A clip is an MP4 or MOV (H.264 or HEVC, 1 s to 10 min, up to 4K, up to 60 fps); a photo a JPEG, PNG or ' +
    'WebP up to 50 megapixels; music an MP3, M4A (AAC) or WAV of 5 s to 10 min that is not silent. ' +
    `Size limits: ${limitsLine}. Send \`kind\` before \`file\`: a file over its kind's limit is then refused ` +
    'as it arrives. The body is read as it comes and never held in memory.',
  request: {
    body: {
      required: true,
      content: {
        // A plain schema, not zod: the handler reads the body as a stream (a clip can be 2 GB), so no
        // validator may read it first.
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['kind', 'file'],
            properties: {
              kind: { type: 'string', enum: [...schema.mediaAssetKinds] },
              file: { type: 'string', format: 'binary' },
            },
          },
        },
      },
    },
  },
  responses: {
    201: {
      description: 'checked, stored and recorded',
      headers: z.object({ Location: z.string() }),
      content: { 'application/json': { schema: assetSchema } },
    },
    413: errorResponse('文件超过这一类素材的大小上限 (the file exceeds its kind’s limit)'),
    422: errorResponse(
      '文件被拒收：不是所选类型的媒体、文件不完整、编码或时长不符合要求等，信息里写明原因和做法 (refused; the message says why and what to do)',
    ),
  },
});

function kindOf(value: string | undefined): Kind | null {
  return (schema.mediaAssetKinds as readonly string[]).includes(value ?? '') ? (value as Kind) : null;
}

/**
 * The upload is written into a scratch folder of the media store (same disk, so the accepted file is
 * renamed into place, not copied), checked, and stored; the folder goes whatever the outcome.
 */
export const createAsset = defineRoute(ASSET_UPLOADERS, route, async (c) => {
  const { db, store } = c.var.services;
  const scratch = `upload-${randomUUID()}`;
  try {
    // In one of the upload places; a full disk is told as such, not as a failed write.
    const { fields, file } = await withUploadSlot(c, async () => {
      try {
        return await receiveUpload(c.req.raw, {
          dir: await store.scratchDir(scratch),
          fileField: 'file',
          limits: {
            maxBytes: MEDIA_MAX_BYTES + FORM_OVERHEAD_BYTES,
            maxParts: 8,
            what: '上传文件',
          },
          fileLimit: (read) => {
            const kind = kindOf(read.get('kind'));
            return kind ? { maxBytes: MEDIA_LIMITS[kind].maxBytes, what: MEDIA_KIND_LABELS[kind] } : null;
          },
        });
      } catch (error) {
        throw storageError(error, 'media', '处理后请重新上传') ?? error;
      }
    });
    const kind = kindOf(fields.get('kind'));
    if (!kind) {
      throw new JobcastError('BAD_INPUT', '请选择素材类型：视频片段、照片或音乐', {
        fields: [{ field: 'kind', reason: 'clip, photo or music' }],
      });
    }
    if (!file || file.bytes === 0) {
      throw new JobcastError('BAD_INPUT', '请选择要上传的文件，文件不能为空', {
        fields: [{ field: 'file', reason: 'required' }],
      });
    }
    const asset = await addMediaAsset(
      { db, store },
      {
        siteId: c.var.principal.siteId,
        kind,
        file: file.storedPath,
        displayName: file.displayName,
        uploadedBy: c.var.principal.userId,
        take: 'move',
      },
    );
    const view = toAssetView(asset);
    c.header('Location', `/api/assets/${asset.id}`);
    return c.json(view, 201);
  } finally {
    await store.dropScratch(scratch);
  }
});
