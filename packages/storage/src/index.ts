export { isMediaKey, LocalMediaStore, type MediaStore, type StoredMedia } from './media-store.ts';
