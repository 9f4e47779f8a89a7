export { isStorageFault, type StorageFault, type StorageFolder, storageError, storageFaultOf } from './faults.ts';
export { isMediaKey, LocalMediaStore, type MediaStore, type StoredMedia } from './media-store.ts';
