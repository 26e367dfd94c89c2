/**
 * The KPI context's front door: the report, its CSV, the service that builds it, and the occupancy
 * targets.
 */
export { KpiReport, kpisCsv, MAX_KPI_PERIOD_NIGHTS } from './kpi-report';
export { KpiService } from './kpi-service';
export { OCCUPANCY_TARGET_PERCENT, TARGET_NIGHTS_PER_BED_YEAR } from './occupancy';
