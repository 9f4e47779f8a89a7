import { z } from '@hono/zod-openapi';
import { schema } from '@jobcast/db';
import { thumbnailKeyOf } from '@jobcast/renders';

export const assetSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(schema.mediaAssetKinds),
    name: z.string().openapi({ description: 'The file name as uploaded (cleaned for display)' }),
    mimeType: z.string(),
    bytes: z.number().int(),
    durationS: z.number().nullable().openapi({ description: 'Seconds, for clips and music' }),
    width: z.number().int().nullable().openapi({ description: 'As displayed: rotation and EXIF orientation applied' }),
    height: z.number().int().nullable(),
    orientation: z
      .enum(['portrait', 'landscape', 'square'])
      .nullable()
      .openapi({ description: 'Of a clip or photo, as displayed' }),
    rotation: z.number().int().openapi({ description: "The rotation a clip's metadata asks for: 0, 90, 180 or 270" }),
    fps: z.number().nullable(),
    hasAudio: z.boolean().openapi({ description: 'A clip with its own sound (music always has it)' }),
    codec: z.string().nullable().openapi({ example: 'h264' }),
    loudnessLufs: z
      .number()
      .nullable()
      .openapi({ description: "A music track's integrated loudness, measured at upload" }),
    music: z
      .string()
      .nullable()
      .openapi({ description: 'What a video request names a music track by (`music`)', example: 'library-12' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    fileUrl: z.string(),
    thumbnailUrl: z.string().nullable().openapi({ description: 'A JPEG at most 640×360, for clips and photos' }),
  })
  .openapi('MediaAsset');

export type AssetView = z.infer<typeof assetSchema>;

export function toAssetView(asset: schema.MediaAsset): AssetView {
  const base = `/api/assets/${asset.id}`;
  const { width, height } = asset;
  const loudness = asset.facts.loudnessLufs;
  return {
    id: asset.id,
    kind: asset.kind,
    name: asset.displayName,
    mimeType: asset.mimeType,
    bytes: asset.bytes,
    durationS: asset.durationS,
    width,
    height,
    orientation:
      width === null || height === null ? null : width > height ? 'landscape' : width < height ? 'portrait' : 'square',
    rotation: asset.rotation,
    fps: asset.fps,
    hasAudio: asset.hasAudio,
    codec: asset.codec,
    loudnessLufs: typeof loudness === 'number' ? loudness : null,
    music: asset.kind === 'music' ? `library-${asset.id}` : null,
    createdAt: asset.createdAt.toISOString(),
    fileUrl: `${base}/file`,
    thumbnailUrl: thumbnailKeyOf(asset) ? `${base}/thumbnail` : null,
  };
}
