<?php
// WordPress's settings from the WORDPRESS_DATABASE_* environment variables, as Bitnami's image
// takes them; the keys and salts were written once, on the first start, next to this file.
$port = getenv('WORDPRESS_DATABASE_PORT_NUMBER') ?: '3306';
define('DB_NAME', getenv('WORDPRESS_DATABASE_NAME') ?: 'bitnami_wordpress');
define('DB_USER', getenv('WORDPRESS_DATABASE_USER') ?: 'bn_wordpress');
define('DB_PASSWORD', getenv('WORDPRESS_DATABASE_PASSWORD') ?: '');
define('DB_HOST', (getenv('WORDPRESS_DATABASE_HOST') ?: 'mariadb') . ':' . $port);
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
require __DIR__ . '/wp-salts.php';
$table_prefix = getenv('WORDPRESS_TABLE_PREFIX') ?: 'wp_';
define('WP_DEBUG', false);
define('FS_METHOD', 'direct');
if (!defined('ABSPATH')) {
  define('ABSPATH', '/opt/bitnami/wordpress/');
}
require_once ABSPATH . 'wp-settings.php';
