/** A caveat about one field of a row that was still imported. `reason` is shown to people, in Chinese. */
export interface FieldWarning {
  field: string;
  reason: string;
}
