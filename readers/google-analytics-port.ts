// The narrow GA4 Data API port the reader uses: googleapis' analyticsdata v1beta client satisfies it.

/** Default service name of the GA4 Data API client. */
export const DEFAULT_ANALYTICS_SERVICE = 'googleAnalytics';

/** The parts of a runReport request the reader sends. */
export interface GaRunReportRequest {
  dateRanges: Array<{ startDate: string; endDate: string }>;
  dimensions: Array<{ name: string }>;
  metrics: Array<{ name: string }>;
  /** int64 as a decimal string, as the API's JSON has it. */
  limit?: string;
  offset?: string;
  orderBys?: Array<{ dimension: { dimensionName: string }; desc?: boolean }>;
  keepEmptyRows?: boolean;
}

/** The parts of a runReport response the reader reads; every value is a string. */
export interface GaRunReportResponse {
  dimensionHeaders?: Array<{ name?: string | null }>;
  metricHeaders?: Array<{ name?: string | null; type?: string | null }>;
  rows?: Array<{ dimensionValues?: Array<{ value?: string | null }>; metricValues?: Array<{ value?: string | null }> }>;
  rowCount?: number | null;
  metadata?: { timeZone?: string | null; currencyCode?: string | null };
  kind?: string | null;
}

/** The subset of googleapis' `analyticsdata_v1beta.Analyticsdata` the reader needs. */
export interface AnalyticsDataClient {
  readonly properties: {
    runReport(params: { property: string; requestBody: GaRunReportRequest }, options?: { signal?: AbortSignal }): Promise<{ data: GaRunReportResponse }>;
  };
}
