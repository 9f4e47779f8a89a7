import { createRoute, z } from '@hono/zod-openapi';
import { formatBytes } from '@jobcast/core';
import { addFairPhoto, getFair } from '@jobcast/db';
import { discardFairPhoto, FAIR_FILE_LIMITS, storeFairPhoto } from '@jobcast/renders';
import { errorResponse } from '../../errors.ts';
import { FAIR_MANAGERS } from '../../roles.ts';
import { defineRoute } from '../../routing.ts';
import { fileUploadBody } from '../../schemas.ts';
import { withUploadedFile } from '../../uploads.ts';
import { fairNotFound } from './get.ts';
import { fairParams, fairPhotoSchema, toFairPhotoView } from './view.ts';

const route = createRoute({
  method: 'post',
  path: '/api/fairs/{id}/photos',
  tags: ['fairs'],
  summary: 'Upload a photo of a job fair: checked to be an image, turned upright, its location data removed',
  description:
    `A JPEG, PNG or WebP up to ${formatBytes(FAIR_FILE_LIMITS.photoMaxBytes)}. It is stored re-encoded as a JPEG at most ` +
    `${FAIR_FILE_LIMITS.photoLongSide} px on its long side, without EXIF, GPS or other metadata. A file that is not an ` +
    'image (a renamed PDF) is refused with 422 naming it. The body is read as it comes and never held in memory.',
  request: {
    params: fairParams,
    body: fileUploadBody,
  },
  responses: {
    201: {
      description: 'checked, stored and recorded',
      headers: z.object({ Location: z.string() }),
      content: { 'application/json': { schema: fairPhotoSchema } },
    },
    404: fairNotFound,
    413: errorResponse('照片超过大小上限 (the photo exceeds its limit)'),
    422: errorResponse(
      '不是图片、文件不完整或无法解码，信息里写明文件名和原因 (not an image; the message names the file)',
    ),
  },
});

export const uploadFairPhotoRoute = defineRoute(FAIR_MANAGERS, route, async (c) => {
  const { db, store } = c.var.services;
  const { siteId, userId } = c.var.principal;
  const { id } = c.req.valid('param');
  // The fair first: a photo for a fair that is not there is not read at all.
  await getFair(db, siteId, id);
  const upload = {
    scratch: 'fair-photo',
    maxBytes: FAIR_FILE_LIMITS.photoMaxBytes,
    what: '照片',
    formWhat: '上传的照片',
    empty: '请选择要上传的照片，文件不能为空',
  };
  const photo = await withUploadedFile(c, upload, async (file) => {
    const stored = await storeFairPhoto(store, {
      siteId,
      fairId: id,
      file: file.storedPath,
      displayName: file.displayName,
    });
    return addFairPhoto(db, {
      siteId,
      fairId: id,
      ...stored,
      displayName: file.displayName,
      uploadedBy: userId,
    }).catch(async (error: unknown) => {
      await discardFairPhoto(store, stored.storageKey);
      throw error;
    });
  });
  const view = toFairPhotoView(photo);
  c.header('Location', view.url);
  return c.json(view, 201);
});
