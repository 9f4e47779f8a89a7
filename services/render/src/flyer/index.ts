export { buildFlyerPdf, type FlyerInput, type FlyerIssue, type FlyerPdf, monthLabel } from './build-flyer.ts';
export { renderFlyer, stopFlyerThread } from './flyer-thread.ts';
export { checkFlyerPdf, flyerPreviews, type PdfFont, pdfFonts, pdfPages } from './pdf-tools.ts';
