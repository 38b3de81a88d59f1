# Secrets Manager holds TaskFlow's connection URLs and bootstrap admin in one secret and its
# key-encryption key in another, generated here, never typed into a variables file. Only the
# External Secrets Operator's service account in the TaskFlow namespace may read them, through
# an IAM role it assumes with its own token.
resource "random_password" "admin" {
  length  = 24
  special = false
}

resource "aws_secretsmanager_secret" "app" {
  name                    = "${var.name}/app"
  description             = "TaskFlow connection URLs and bootstrap admin"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = aws_secretsmanager_secret.app.id
  secret_string = jsonencode({
    postgres_url    = var.postgres_url
    redis_url       = var.redis_url
    bootstrap_admin = "${var.admin_email}:${random_password.admin.result}"
  })
}

# The key-encryption key TaskFlow seals its token signing keys with (--key-encryption-key-file).
# A secret of its own under a customer-managed KMS key, so reading it takes a grant on that key
# as well, which CloudTrail logs apart from the connection URLs. Stored as the base64 of 32
# random bytes, and mounted as that text: the node hashes the file as it is, and raw bytes
# could end in a newline byte the node strips.
resource "random_bytes" "kek" {
  length = 32
}

resource "aws_kms_key" "kek" {
  description             = "${var.name} key-encryption key secret"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_secretsmanager_secret" "kek" {
  name                    = "${var.name}/kek"
  description             = "TaskFlow key-encryption key; every node mounts the same one"
  kms_key_id              = aws_kms_key.kek.arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret_version" "kek" {
  secret_id     = aws_secretsmanager_secret.kek.id
  secret_string = random_bytes.kek.base64
}

data "aws_iam_policy_document" "reader_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${var.service_account}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "reader" {
  name               = "${var.name}-external-secrets"
  assume_role_policy = data.aws_iam_policy_document.reader_assume.json
}

data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.app.arn, aws_secretsmanager_secret.kek.arn]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.kek.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}

data "aws_region" "current" {}

resource "aws_iam_role_policy" "reader" {
  name   = "read-${var.name}-secrets"
  role   = aws_iam_role.reader.id
  policy = data.aws_iam_policy_document.read.json
}
