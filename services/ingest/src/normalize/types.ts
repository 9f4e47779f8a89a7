/** A caveat about one field of a row that was still imported. `reason` is shown to people: Chinese first, English in brackets. */
export interface FieldWarning {
  field: string;
  reason: string;
}
