import CoreMetrics
import Prometheus

/// Points swift-metrics at the Prometheus registry the monitor exports.
enum MetricsSystemBridge {
    static func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: PrometheusMetricsFactory.defaultRegistry))
    }
}
