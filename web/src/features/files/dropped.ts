/**
 * What a drop on the room carries: files to send, and folders, which cannot be (a folder arrives
 * in `DataTransfer.files` as an empty "file" that fails to read, or as nothing). Pure.
 */

export interface DroppedItem {
  file: File | null;
  /** The item is a folder (`webkitGetAsEntry().isDirectory`, read during the drop event). */
  folder: boolean;
}

export function splitDrop(items: readonly DroppedItem[]): { files: File[]; folders: string[] } {
  const files: File[] = [];
  const folders: string[] = [];
  for (const item of items) {
    if (item.folder) folders.push(item.file?.name ?? "a folder");
    else if (item.file) files.push(item.file);
  }
  return { files, folders };
}

/** What to say when folders were dropped (null: none were). */
export function foldersNotice(folders: readonly string[]): string | null {
  if (!folders.length) return null;
  const which = folders.length === 1 ? `The folder ${folders[0]} was not sent` : `${folders.length} folders were not sent`;
  return `${which}: folders cannot be sent. Drop the files in it, or a .zip of it.`;
}
