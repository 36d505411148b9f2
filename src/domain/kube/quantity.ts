// Resource quantities for validation and display: the shared parser, and upstream's message
// for a value that is not a quantity.

export { parseQuantity } from "../quantity/mod.js";

export const quantityMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
