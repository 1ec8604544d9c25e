// The parts of ECharts the portal's charts use (src/charts): line and bar series on a grid
// (labels contained) with a legend, rich-text tooltips, mark areas for reference ranges, the aria description and decal
// patterns, drawn on a canvas, with the Japanese locale. Bundled by scripts/vendor-echarts.mjs;
// a chart option naming anything else (a new series type or component) must be added here, and
// end2end/tests/records.spec.ts, which draws every chart, fails until it is.
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TooltipComponent,
} from "echarts/components";
import { LegacyGridContainLabel } from "echarts/features";
import { CanvasRenderer } from "echarts/renderers";
import langJA from "echarts/i18n/langJA-obj.js";

echarts.use([
  BarChart,
  LineChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TooltipComponent,
  CanvasRenderer,
  // grid.containLabel, which keeps the axis labels inside the chart at 320 px.
  LegacyGridContainLabel,
]);
echarts.registerLocale("JA", langJA);

// The page binding (src/ui/chart.rs) reads these from the global `echarts`.
export const { init, getInstanceByDom } = echarts;
