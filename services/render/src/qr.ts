/** The light margin a QR code needs around it to be read (ISO/IEC 18004: four modules), on posters, videos and the flyer. */
export const QR_QUIET_MODULES = 4;
